// Counts and lists in messages, the same in main's errors and audit details and in the renderer.

// Made on first use: building an Intl.NumberFormat loads ICU's locale data, about 40 ms on a busy
// machine, which every CLI call that merely imports a module using `plural` would pay.
let enUs: Intl.NumberFormat | undefined
const enUsNumbers = () => (enUs ??= new Intl.NumberFormat('en-US'))

/**
 * "1 grant", "2,000 grants"; `many` for words whose plural is not word + s ("entries"). Numbers
 * are written as in en-US unless `numbers` says otherwise (the renderer passes the user's locale).
 */
export function plural(
  n: number,
  one: string,
  many = `${one}s`,
  numbers: Intl.NumberFormat = enUsNumbers(),
): string {
  return `${numbers.format(n)} ${n === 1 ? one : many}`
}

/** "Alice, Bob and 3 more": up to `max` names, then how many more. */
export function listNames(names: readonly string[], max: number): string {
  if (names.length <= max) return names.join(', ')
  return `${names.slice(0, max).join(', ')} and ${enUsNumbers().format(names.length - max)} more`
}

/**
 * "2026-12-06 20:08 UTC" for a time in a message: unambiguous in any locale and the same from
 * the app and the CLI, without the ISO form's T, seconds and milliseconds. Not a time: as given.
 */
export function readableTime(iso: string): string {
  const time = new Date(iso)
  if (Number.isNaN(time.getTime())) return iso
  return `${time.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}
