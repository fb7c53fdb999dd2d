/**
 * Who is who on the control channel, as URIs in the certificates' subjectAltName. Chains are
 * checked against the vault's own CA, so only this vault can issue either name.
 */

const PREFIX = 'urn:bridgekeep'

/** The identity of runner `runnerId` of vault `vaultId`. */
export function runnerIdentity(vaultId: string, runnerId: string): string {
  return `${PREFIX}:runner:${vaultId}:${runnerId}`
}

/** The identity of vault `vaultId`'s control listener (the server side). */
export function controlIdentity(vaultId: string): string {
  return `${PREFIX}:control:${vaultId}`
}

export function parseRunnerIdentity(uri: string): { vaultId: string; runnerId: string } | null {
  const match = /^urn:bridgekeep:runner:([A-Za-z0-9-]{1,100}):([A-Za-z0-9-]{1,100})$/.exec(uri)
  return match ? { vaultId: match[1]!, runnerId: match[2]! } : null
}

/** The URIs of a Node `subjectaltname` string ("URI:a, IP Address:b, DNS:c"). */
export function urisOf(subjectAltName: string | undefined): string[] {
  if (!subjectAltName) return []
  return subjectAltName
    .split(/,\s*/)
    .filter((entry) => entry.startsWith('URI:'))
    .map((entry) => entry.slice(4))
}
