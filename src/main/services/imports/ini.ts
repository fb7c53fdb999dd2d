/**
 * The INI dialect of ~/.aws/credentials and ~/.aws/config: `[section]` headers, `key = value`
 * lines, `#` and `;` comments. Nested (indented) sub-settings are kept as raw text.
 */
export function parseIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>()
  let current: Map<string, string> | undefined
  let lastKey: string | undefined
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/^\uFEFF/, '')
    const trimmed = line.trim()
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(trimmed)
    if (header) {
      current = sections.get(header[1]!) ?? new Map()
      sections.set(header[1]!, current)
      lastKey = undefined
      continue
    }
    if (!current) continue
    if (/^\s/.test(line) && lastKey) {
      current.set(lastKey, `${current.get(lastKey) ?? ''}\n${trimmed}`)
      continue
    }
    const pair = /^([^=]+?)\s*=\s*(.*)$/.exec(trimmed)
    if (!pair) continue
    lastKey = pair[1]!.toLowerCase()
    current.set(lastKey, pair[2]!)
  }
  return sections
}
