/** "ABCD-EFGH-…" as its groups, whichever separator the key uses. */
export function recoveryKeyGroups(key: string): string[] {
  const parts = key
    .trim()
    .split(/[\s-]+/)
    .filter(Boolean)
  if (parts.length > 1) return parts
  return key.match(/.{1,4}/g) ?? [key]
}

/** The groups on two even lines (an odd group out goes on the first). */
export function recoveryKeyLines(key: string): string[][] {
  const groups = recoveryKeyGroups(key)
  const perLine = Math.max(1, Math.ceil(groups.length / 2))
  const result: string[][] = []
  for (let at = 0; at < groups.length; at += perLine) result.push(groups.slice(at, at + perLine))
  return result
}

/**
 * A typed or pasted recovery key in the form it is shown in: upper case, groups of four joined
 * by dashes. Only the layout changes; a wrong character is left for main to name.
 */
export function formatTypedRecoveryKey(typed: string): string {
  const compact = typed.replace(/[\s-]+/g, '').toUpperCase()
  return (compact.match(/.{1,4}/g) ?? []).join('-')
}
