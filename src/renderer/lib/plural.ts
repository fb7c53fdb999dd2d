import { plural as pluralIn } from '../../shared/wording'

/** Numbers in the user's locale. */
const count = new Intl.NumberFormat()

/** "1 grant", "2,000 grants"; `many` for words whose plural is not word + s ("entries"). */
export function plural(n: number, one: string, many?: string): string {
  return pluralIn(n, one, many, count)
}

/** A number as the user reads it: "10,000". */
export function formatCount(n: number): string {
  return count.format(n)
}
