/**
 * The environment variables through which a secret reaches Bridgekeep itself (the vault's
 * passphrase or recovery key, a share's passphrase). One list, so that every process the CLI
 * starts (the command `exec` runs, a runner) is given none of them: what unlocks the vault or a
 * share is never the child's business. A new variable that carries a secret goes here.
 */
export const SECRET_VARIABLES = {
  passphrase: 'BRIDGEKEEP_PASSPHRASE',
  passphraseFile: 'BRIDGEKEEP_PASSPHRASE_FILE',
  recoveryKey: 'BRIDGEKEEP_RECOVERY_KEY',
  sharePassphrase: 'BRIDGEKEEP_SHARE_PASSPHRASE',
  mfaCode: 'BRIDGEKEEP_MFA_CODE',
} as const

/** A copy of `env` without any of SECRET_VARIABLES. */
export function withoutSecretVariables(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string | undefined> {
  const copy = { ...env }
  for (const name of Object.values(SECRET_VARIABLES)) delete copy[name]
  return copy
}
