import { findUnsafeCharacter, isUnsafeCodePoint } from '../../shared/text'
import type { OutStream } from './io'

/**
 * Text that is not the CLI's own (names, labels, notes, a share's sender, a service's error
 * message that quotes them) made safe to show on a terminal: every character of the shared rule
 * (src/shared/text.ts: C0 and C1 controls, DEL, bidi overrides and isolates) is shown as an
 * escape, `\x1b` or `\u202e`, so it can neither move the cursor, recolour or erase what was
 * printed, nor reorder a line. The schemas refuse these characters on input; this covers what
 * older vaults (or a service's message) still hold.
 *
 * `multiline` keeps line breaks and tabs, for text that is shown over several lines on purpose
 * (notes, which the app allows to hold both, and a hint that quotes a log). Everything the CLI
 * prints for people goes through here: `table` and `keyValues` escape every cell, `reportError`
 * every message, and commands wrap the data they put in their own sentences. `--json` output is
 * left exact: JSON.stringify already escapes the C0 controls, and a script wants the real value.
 */
export function printable(text: string, options: { multiline?: boolean } = {}): string {
  if (!findUnsafeCharacter(text)) return text
  let shown = ''
  for (const character of text) {
    const codePoint = character.codePointAt(0)!
    if (!isUnsafeCodePoint(codePoint) || (options.multiline && /^[\n\t]$/.test(character)))
      shown += character
    else
      shown +=
        codePoint <= 0xff
          ? `\\x${codePoint.toString(16).padStart(2, '0')}`
          : `\\u${codePoint.toString(16).padStart(4, '0')}`
  }
  return shown
}

export interface Column<T> {
  header: string
  value: (row: T) => string
  /** Numbers read better right-aligned. */
  align?: 'left' | 'right'
}

/** Display width of a string: code points, so "•" and "é" count as one column. */
function width(text: string): number {
  return Array.from(text).length
}

function pad(text: string, to: number, align: 'left' | 'right' = 'left'): string {
  const fill = ' '.repeat(Math.max(0, to - width(text)))
  return align === 'right' ? fill + text : text + fill
}

/**
 * A plain aligned table (two spaces between columns, no borders): what `ls`-style commands print
 * for people. Cells are single-line; line breaks and tabs inside a value become spaces so one
 * row stays one line, and any other control character is escaped (`printable`). Trailing spaces
 * are trimmed.
 */
export function table<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((row) => columns.map((column) => cell(column.value(row))))
  const widths = columns.map((column, index) =>
    Math.max(width(column.header), ...cells.map((row) => width(row[index]!))),
  )
  const line = (values: string[]) =>
    values
      .map((value, index) => pad(value, widths[index]!, columns[index]!.align))
      .join('  ')
      .trimEnd()
  return [line(columns.map((column) => column.header)), ...cells.map(line)]
    .map((text) => `${text}\n`)
    .join('')
}

/** "key  value" lines with the keys aligned, for `show`-style details; values as table cells. */
export function keyValues(pairs: readonly (readonly [string, string])[], indent = ''): string {
  const shown = pairs.map(([key, value]) => [cell(key), cell(value)] as const)
  const keyWidth = Math.max(0, ...shown.map(([key]) => width(key)))
  return shown
    .map(([key, value]) => `${indent}${pad(key, keyWidth)}  ${value}`.trimEnd())
    .map((text) => `${text}\n`)
    .join('')
}

export function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ')
}

/** One line of a table or of key-value details: line breaks as spaces, controls escaped. */
function cell(text: string): string {
  return printable(oneLine(text))
}

/** One JSON document on stdout, for scripts (`--json`). */
export function writeJson(out: OutStream, value: unknown): void {
  out.write(`${JSON.stringify(value, null, 2)}\n`)
}

/** "2026-01-31 12:00" in local time, or "never". */
export function when(iso: string | null | undefined): string {
  if (!iso) return 'never'
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  const two = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`
}

/** "a, b, c" or a dash when empty. */
export function list(items: readonly string[]): string {
  return items.length > 0 ? items.join(', ') : '-'
}
