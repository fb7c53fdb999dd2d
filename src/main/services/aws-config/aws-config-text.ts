import { sectionHeader } from '../../../shared/aws-profile'

/**
 * Editing one profile of an AWS config file as text, so that every other byte (other profiles,
 * comments, blank lines, odd spacing, CRLF line ends) stays exactly as it was: an INI parser
 * would lose comments and formatting on the way back.
 */

const HEADER = /^\s*\[([^\]]*)\]\s*(?:[#;].*)?$/
const COMMENT_OR_BLANK = /^\s*(?:[#;].*)?$/

/** The lines of `text`, each with its own line end, so that joining them gives `text` back. */
function linesOf(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? []
}

/** The section's name as the AWS CLI reads it: `profile  prod` and `profile prod` are the same. */
function sectionName(line: string): string | undefined {
  const match = HEADER.exec(line.replace(/\r?\n$/, ''))
  if (!match) return undefined
  const name = match[1]!.trim()
  const profile = /^profile\s+(.+)$/.exec(name)
  return profile ? `profile ${profile[1]!.trim()}` : name
}

/**
 * Where the profile's section is, as line indexes [start, end): its header through its last
 * setting. Comments and blank lines after that belong to what follows (often the next
 * section's comment), so they stay.
 */
function findSection(lines: string[], profile: string): { start: number; end: number } | undefined {
  const wanted = sectionName(sectionHeader(profile))
  const start = lines.findIndex((line) => sectionName(line) === wanted)
  if (start < 0) return undefined
  let next = start + 1
  while (next < lines.length && sectionName(lines[next]!) === undefined) next++
  let end = next
  while (end > start + 1 && COMMENT_OR_BLANK.test(lines[end - 1]!.replace(/\r?\n$/, ''))) end--
  return { start, end }
}

export function hasProfile(text: string, profile: string): boolean {
  return findSection(linesOf(text), profile) !== undefined
}

/**
 * `text` with `block` (a whole section, header first, one setting per line) as the profile:
 * in place of that profile's section when there is one, else appended after a blank line.
 * Lines are ended as the file ends its own.
 */
export function withProfile(text: string, profile: string, block: readonly string[]): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n'
  const section = block.map((line) => `${line}${eol}`)
  const lines = linesOf(text)
  const found = findSection(lines, profile)
  if (found) {
    // A last line without its line end keeps none, as it had none.
    const lastEnded = /\n$/.test(lines[found.end - 1] ?? '\n')
    if (!lastEnded) section[section.length - 1] = block.at(-1)!
    return [...lines.slice(0, found.start), ...section, ...lines.slice(found.end)].join('')
  }
  if (text === '') return section.join('')
  const separator = text.endsWith('\n') ? (/\n\s*\n$/.test(text) ? '' : eol) : eol + eol
  return `${text}${separator}${section.join('')}`
}
