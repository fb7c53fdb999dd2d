import type { AuditEntry } from '../../../shared/audit'

/** CSV columns, in order, with the entry property each one holds. */
const CSV_COLUMNS: [header: string, key: keyof AuditEntry][] = [
  ['id', 'id'],
  ['time', 'time'],
  ['actor_user', 'actorUser'],
  ['actor_vault', 'actorVault'],
  ['action', 'action'],
  ['target_type', 'targetType'],
  ['target_id', 'targetId'],
  ['target_name', 'targetName'],
  ['environment_id', 'environmentId'],
  ['environment_name', 'environmentName'],
  ['outcome', 'outcome'],
  ['detail', 'detail'],
  ['hash', 'hash'],
]

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, a quote, a line break or edge spaces,
 * with quotes doubled. A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first)
 * gets a leading apostrophe, so opening an export never executes a connection name.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return ''
  let text = String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.map(([header]) => header).join(',')}\r\n`
}

export function csvLine(entry: AuditEntry): string {
  return `${CSV_COLUMNS.map(([, key]) => csvCell(entry[key])).join(',')}\r\n`
}

export function jsonLine(entry: AuditEntry): string {
  return `${JSON.stringify(entry)}\n`
}
