import { BridgekeepError } from '../../shared/errors'
import type { TextPosition } from '../../shared/parse-untrusted'
import { printable } from '../framework/output'
import type { Change } from './changes'
import type { DocPath } from './document'
import type { PlanIssue } from './issues'
import type { PlannedConnection } from './plan'

/** "spec.fields.port.value", "spec.environments[1]"; odd keys quoted. */
export function formatPath(path: DocPath): string {
  if (path.length === 0) return '(the document)'
  return path
    .map((part, index) =>
      typeof part === 'number'
        ? `[${part}]`
        : `${index === 0 ? '' : '.'}${/^[A-Za-z0-9_-]+$/.test(part) ? part : JSON.stringify(part.length > 40 ? `${part.slice(0, 12)}…` : part)}`,
    )
    .join('')
}

/** "doc 2 (prod-db): spec.fields.port.value: Port: must be 1–65535. (line 14)" */
export function formatIssue(
  issue: PlanIssue,
  positionOf: (doc: number, path: DocPath) => TextPosition | undefined,
): string {
  const { place } = issue
  if ('stdin' in place)
    return `--secrets-from-stdin${place.stdin ? `: ${place.stdin}` : ''}: ${issue.message}`
  const position = positionOf(place.doc, place.path)
  const name = place.name === undefined ? '' : ` (${place.name})`
  return `doc ${place.doc}${name}: ${formatPath(place.path)}: ${issue.message}${position ? ` (line ${position.line})` : ''}`
}

/** Every problem found, as one error: nothing has been written. */
export function problemsError(source: string, lines: readonly string[]): BridgekeepError {
  return new BridgekeepError(
    'VALIDATION',
    `${source}: ${lines.length === 1 ? 'a problem' : `${lines.length} problems`}; nothing was applied.`,
    'Fix them and apply again; bridgekeep apply --help shows the shape of a document.',
    lines.map((message) => ({ field: '', message })),
  )
}

const VERBS = { create: 'created', update: 'configured', unchanged: 'unchanged' } as const

/** kubectl's way: "connection/prod-db configured", then each change, secrets never shown. */
export function formatPlan(planned: readonly PlannedConnection[], dryRun: boolean): string {
  return planned
    .map(({ document, action, changes }) => {
      const head = `connection/${document.name} ${VERBS[action]}${dryRun && action !== 'unchanged' ? ' (dry run)' : ''}`
      return [head, ...changes.map(formatChange)].map((line) => `${printable(line)}\n`).join('')
    })
    .join('')
}

function formatChange(change: Change): string {
  if (change.summary !== undefined) return `  ~ ${change.path}: ${change.summary}`
  if (change.before === undefined) return `  + ${change.path}: ${change.after ?? ''}`
  if (change.after === undefined) return `  - ${change.path}: ${change.before}`
  return `  ~ ${change.path}: ${change.before} -> ${change.after}`
}
