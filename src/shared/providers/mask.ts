const MASK = '••••••••'

/**
 * '••••••••' for short values; '••••••••WXYZ' (last 4) only when revealLast4 and value.length >= 16.
 * The mask has a fixed width so it never tells the length; short values show no tail, since four
 * characters of a short secret are too large a share of it.
 */
export function maskSecret(value: string, revealLast4: boolean): string {
  if (!revealLast4 || value.length < 16) return MASK
  return MASK + Array.from(value).slice(-4).join('')
}
