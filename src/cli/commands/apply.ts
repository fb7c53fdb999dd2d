import { applyConnections } from '../../main/services/connections/apply-connections'
import { BridgekeepError } from '../../shared/errors'
import type { PlainYamlDocument } from '../../shared/parse-untrusted'
import { readConnectionDocument, type ConnectionDocument } from '../apply/document'
import { checkFields, type CheckedDocument } from '../apply/field-rules'
import type { PlanIssue } from '../apply/issues'
import { planApply } from '../apply/plan'
import { readDocuments, readStdinData } from '../apply/read-input'
import { formatIssue, formatPlan, problemsError } from '../apply/report'
import { stdinSecrets, type StdinSecrets } from '../apply/stdin-secrets'
import { flag, stringOption, type CommandSpec } from '../framework/command'
import { confirmationRequired, UsageError } from '../framework/errors'
import type { CliIO } from '../framework/io'
import { writeJson } from '../framework/output'

const COMMAND_REFERENCE = 'valueFrom command:'

const apply: CommandSpec = {
  usage: '-f <file|-> [--secrets-from-stdin] [--dry-run] [--yes]',
  description: [
    'Creates or updates connections from Kubernetes-style documents (several in one file, separated',
    'by --- lines), so they can live in git:',
    '  apiVersion: bridgekeep.dev/v1',
    '  kind: Connection',
    '  metadata: { name: prod-db, displayName: Prod DB, labels: { team: payments } }',
    '  spec:',
    '    type: postgres                 # the provider',
    '    authMode: inline               # optional: the provider default',
    '    fields:',
    '      host: { value: db.internal }',
    '      password: { valueFrom: { env: { name: PROD_DB_PASSWORD } } }',
    '    environments: [production]     # exactly these are authorized',
    '    notes: optional',
    'metadata.name is the slug: apply updates the connection with that slug, or creates it. The',
    'document is the whole connection: settings, labels, notes and environments left out are',
    'cleared (a default applies where the catalog has one). Secrets never go in the file: a secret',
    'field takes valueFrom (env, file, command, secretKeyRef, configMapKeyRef, helmRef; read at each',
    'use, never stored) or its value from stdin with --secrets-from-stdin, a YAML/JSON map by',
    'document name and field: {"prod-db": {"password": "..."}}. A secret field left out, or marked',
    '{ stored: true } as get prints it, keeps the value the vault holds.',
    'Every document is checked before anything is written, and all are written in one transaction:',
    'one bad document, and nothing is applied. Applying the same documents again changes nothing.',
    'Granting or revoking a protected environment, and setting a command reference (a program that',
    'runs on this machine at each use), need --yes.',
  ].join('\n'),
  options: {
    filename: {
      type: 'string',
      short: 'f',
      valueName: 'file|-',
      description: 'the documents: a YAML (or JSON) file, or - for stdin',
    },
    'secrets-from-stdin': {
      type: 'boolean',
      description: 'read secret values from stdin: {<name>: {<field>: <value>}} in YAML or JSON',
    },
    'dry-run': { type: 'boolean', description: 'show what would change, write nothing' },
    yes: {
      type: 'boolean',
      short: 'y',
      description: 'confirm granting or revoking a protected environment, or a command reference',
    },
  },
  positionals: { min: 0, max: 0 },
  json: true,
  vault: true,
  examples: [
    'bridgekeep apply -f connections.yaml --dry-run',
    'bridgekeep apply -f connections.yaml --yes',
    `printf '{"prod-db": {"password": "%s"}}' "$PW" | bridgekeep apply -f db.yaml --secrets-from-stdin`,
    'bridgekeep get prod-db -o yaml > prod-db.yaml && bridgekeep apply -f prod-db.yaml',
  ],
  async run(context, { values }) {
    const source = stringOption(values, 'filename')
    if (source === undefined) throw new UsageError('-f <file|-> is required.', 'apply')
    const withSecrets = flag(values, 'secrets-from-stdin')
    if (source === '-' && withSecrets)
      throw new UsageError(
        'stdin carries the documents or the secrets, not both: put the documents in a file.',
        'apply',
      )
    const dryRun = flag(values, 'dry-run')
    const parsed = await readDocuments(context.io, source)
    const name = source === '-' ? 'stdin' : source
    const positionOf = (doc: number, path: readonly (string | number)[]) =>
      parsed[doc - 1]?.positionOf(path)
    const refuse = (issues: readonly PlanIssue[]) =>
      problemsError(
        name,
        issues.map((issue) => formatIssue(issue, positionOf)),
      )
    const { documents, issues } = readAll(parsed)
    if (documents.length === 0 && issues.length === 0)
      throw new BridgekeepError(
        'VALIDATION',
        `${name} holds no connection document.`,
        'See bridgekeep apply --help for the shape of one.',
      )
    const refused = new Set(parsed.map(({ value }) => nameOf(value) ?? ''))
    for (const { name: readName } of documents) refused.delete(readName)
    const secrets: StdinSecrets = withSecrets
      ? await secretsOf(context.io, documents, refused, issues)
      : new Map()
    const checked = documents.flatMap((document): CheckedDocument[] => {
      const result = checkFields(document, secrets.get(document.name) ?? {})
      issues.push(...result.issues)
      return result.checked ? [result.checked] : []
    })
    // What the file shows by itself first; then what only the vault can tell.
    if (issues.length > 0) throw refuse(issues)

    const services = await context.services()
    const plan = planApply(services, checked)
    if (plan.issues.length > 0) throw refuse(plan.issues)
    const touched = plan.planned.flatMap(({ document, protectedTouched }) =>
      protectedTouched.map((env) => `${document.name} in ${env}`),
    )
    if (touched.length > 0 && !dryRun && !flag(values, 'yes'))
      throw confirmationRequired(
        `These changes touch protected environments: ${touched.join(', ')}. Nothing was applied.`,
        'apply <the same arguments>',
      )
    // A document from a repository must not slip a program onto this machine unseen: a command
    // reference runs at every use, so setting one is shown and confirmed, like a protected env.
    const commands = plan.planned.flatMap(({ document, changes }) =>
      changes.flatMap((change) =>
        change.after?.startsWith(COMMAND_REFERENCE)
          ? [`${document.name} ${change.path}: ${change.after.slice('valueFrom '.length)}`]
          : [],
      ),
    )
    if (commands.length > 0 && !dryRun && !flag(values, 'yes'))
      throw confirmationRequired(
        `These documents set command references, which run a program on this machine at each use: ${commands.join('; ')}. Check each program; nothing was applied.`,
        'apply <the same arguments>',
      )
    const writes = plan.planned.flatMap((each) => (each.write ? [each.write] : []))
    if (!dryRun && writes.length > 0)
      applyConnections(services, writes, { confirmProtected: flag(values, 'yes') })
    if (context.json)
      return writeJson(
        context.io.stdout,
        plan.planned.map(({ document, action, changes }) => ({
          name: document.name,
          action,
          changes,
          ...(dryRun ? { dryRun: true } : {}),
        })),
      )
    context.io.stdout.write(formatPlan(plan.planned, dryRun))
  },
}

/** Each document read in shape; a name used twice is refused on its second document. */
function readAll(parsed: readonly PlainYamlDocument[]): {
  documents: ConnectionDocument[]
  issues: PlanIssue[]
} {
  const documents: ConnectionDocument[] = []
  const issues: PlanIssue[] = []
  parsed.forEach(({ value }, index) => {
    if (value === null || value === undefined) return // an empty document: `---` twice
    const doc = index + 1
    const read = readConnectionDocument(value, doc)
    const name = nameOf(value)
    for (const { path, message } of read.issues)
      issues.push({ place: { doc, ...(name ? { name } : {}), path }, message })
    if (!read.document) return
    const first = documents.find((each) => each.name === read.document!.name)
    if (first)
      issues.push({
        place: { doc, name: read.document.name, path: ['metadata', 'name'] },
        message: `doc ${first.doc} has this name too: each connection once per apply.`,
      })
    else documents.push(read.document)
  })
  return { documents, issues }
}

/** A document's metadata.name, when it is a slug-like text (to name the document in messages). */
function nameOf(value: unknown): string | undefined {
  const name = (value as { metadata?: { name?: unknown } } | null)?.metadata?.name
  return typeof name === 'string' && /^[a-z0-9-]{1,64}$/.test(name) ? name : undefined
}

async function secretsOf(
  io: CliIO,
  documents: readonly ConnectionDocument[],
  refused: ReadonlySet<string>,
  issues: PlanIssue[],
): Promise<StdinSecrets> {
  const read = stdinSecrets(await readStdinData(io, 'secret values'), documents, refused)
  issues.push(...read.issues)
  return read.secrets
}

export default apply
