import type { OutStream } from './io'

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
 * row stays one line. Trailing spaces are trimmed.
 */
export function table<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((row) => columns.map((column) => oneLine(column.value(row))))
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

/** "key  value" lines with the keys aligned, for `show`-style details. */
export function keyValues(pairs: readonly (readonly [string, string])[], indent = ''): string {
  const keyWidth = Math.max(0, ...pairs.map(([key]) => width(key)))
  return pairs
    .map(([key, value]) => `${indent}${pad(`${key}`, keyWidth)}  ${oneLine(value)}`.trimEnd())
    .map((text) => `${text}\n`)
    .join('')
}

export function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ')
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
