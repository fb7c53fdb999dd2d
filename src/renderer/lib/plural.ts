const count = new Intl.NumberFormat()

/** "1 grant", "2,000 grants"; `many` for words whose plural is not word + s ("entries"). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count.format(n)} ${n === 1 ? one : many}`
}

/** A number as the user reads it: "10,000". */
export function formatCount(n: number): string {
  return count.format(n)
}
