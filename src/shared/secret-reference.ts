import { z } from 'zod'
import { BridgekeepError } from './errors'
import { safeText } from './text'

// A secret field may hold a *reference* instead of a value: where to read the value at the
// moment of use. The value is never copied into the vault; it is read for one use, kept in
// memory for that use only, and the lookup is audited. One shape everywhere — the IPC contract,
// the vault (sealed like a value), `apply -f` documents (`valueFrom:`) — with exactly one source
// per reference, Kubernetes-style:
//
//   { env: { name: 'DB_PASSWORD' } }                      an environment variable of the user
//   { file: { path: '/run/secrets/db' } }                 a file's content (one trailing newline dropped)
//   { command: { argv: ['pass', 'show', 'prod/db'] } }    a program's stdout (no shell), e.g. pass, op read
//   { secretKeyRef: { connection, namespace, name, key } }     a key of a Kubernetes Secret
//   { configMapKeyRef: { connection, namespace, name, key } }  a key of a Kubernetes ConfigMap
//   { helmRef: { connection, namespace, release, key } }       a value path in a Helm release's values
//
// The Kubernetes sources are read through a Kubernetes connection (named by slug or name), which
// must itself be authorized for the environment of the use.

export const REFERENCE_KINDS = [
  'env',
  'file',
  'command',
  'secretKeyRef',
  'configMapKeyRef',
  'helmRef',
] as const
export type ReferenceKind = (typeof REFERENCE_KINDS)[number]

// The text rule of names and labels (src/shared/text.ts): no control characters, and no bidi
// overrides that would make the details page show another command or path than the one read.
const printable = (label: string, max: number) =>
  safeText(
    z
      .string(`${label}: must be text.`)
      .min(1, `${label}: must not be empty.`)
      .max(max, `${label}: at most ${max} characters.`),
    label,
  )

const envName = printable('Environment variable', 256).regex(
  /^[A-Za-z_][A-Za-z0-9_]*$/,
  'Environment variable: letters, digits and "_", not starting with a digit (e.g. DB_PASSWORD).',
)
const filePath = printable('File', 4096).refine(
  (path) => path.startsWith('/') || path.startsWith('~/'),
  'File: give an absolute path (/run/secrets/db) or one under your home (~/.secrets/db).',
)
const argv = z
  .array(
    printable('Command argument', 4096),
    'Command: give the program and its arguments as a list.',
  )
  .min(1, 'Command: give at least the program to run.')
  .max(64, 'Command: at most 64 arguments.')
const kubeConnection = printable('Kubernetes connection', 200)
// A Kubernetes object name (DNS subdomain) and namespace (DNS label), as the API server checks.
const kubeName = (label: string) =>
  printable(label, 253).regex(
    /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
    `${label}: lowercase letters, digits, "-" and ".", as Kubernetes names are.`,
  )
const namespace = printable('Namespace', 63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'Namespace: lowercase letters, digits and "-".')
  .default('default')
const dataKey = printable('Key', 253).regex(
  /^[-._a-zA-Z0-9]+$/,
  'Key: letters, digits, "-", "_" and "." (a key of the object\'s data).',
)
const valuesPath = printable('Values path', 512).regex(
  /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/,
  'Values path: keys joined by dots, e.g. auth.postgresPassword.',
)

const sources = {
  env: z.object({ name: envName }).strict(),
  file: z.object({ path: filePath }).strict(),
  command: z.object({ argv }).strict(),
  secretKeyRef: z
    .object({ connection: kubeConnection, namespace, name: kubeName('Secret'), key: dataKey })
    .strict(),
  configMapKeyRef: z
    .object({ connection: kubeConnection, namespace, name: kubeName('ConfigMap'), key: dataKey })
    .strict(),
  helmRef: z
    .object({
      connection: kubeConnection,
      namespace,
      release: kubeName('Release'),
      key: valuesPath,
    })
    .strict(),
}

/** A reference: an object with exactly one of the sources above. */
export const secretReferenceSchema = z
  .object(
    {
      env: sources.env.optional(),
      file: sources.file.optional(),
      command: sources.command.optional(),
      secretKeyRef: sources.secretKeyRef.optional(),
      configMapKeyRef: sources.configMapKeyRef.optional(),
      helmRef: sources.helmRef.optional(),
    },
    'A reference must be an object with one source.',
  )
  .strict()
  .refine(
    (ref) => REFERENCE_KINDS.filter((kind) => ref[kind] !== undefined).length === 1,
    `A reference has exactly one source: one of ${REFERENCE_KINDS.join(', ')}.`,
  )
export type SecretReference = z.output<typeof secretReferenceSchema>

/** The one source a (parsed) reference names. */
export function referenceKind(ref: SecretReference): ReferenceKind {
  const kind = REFERENCE_KINDS.find((k) => ref[k] !== undefined)
  if (!kind) throw new Error('A parsed reference always has a source.')
  return kind
}

/** True for the sources read through a Kubernetes connection (on the runner). */
export function readsKubernetes(ref: SecretReference): boolean {
  return (
    ref.secretKeyRef !== undefined || ref.configMapKeyRef !== undefined || ref.helmRef !== undefined
  )
}

// The text form, for `--ref field=<text>` and for showing a reference (the two round-trip):
//   env:DB_PASSWORD
//   file:/run/secrets/db
//   command:pass show prod/db          (split on spaces; or a JSON list: command:["op","read","op://v/i/f"])
//   secret:<k8s connection>/<namespace>/<name>/<key>
//   configmap:<k8s connection>/<namespace>/<name>/<key>
//   helm:<k8s connection>/<namespace>/<release>/<values path>

const TEXT_FORMS =
  'env:NAME, file:/path, command:program args…, secret:<k8s connection>/<namespace>/<name>/<key>, configmap:<k8s connection>/<namespace>/<name>/<key> or helm:<k8s connection>/<namespace>/<release>/<values.path>'

/** A reference from its text form; a VALIDATION error saying which forms exist when it fits none. */
export function parseReferenceText(text: string): SecretReference {
  const colon = text.indexOf(':')
  const prefix = colon < 0 ? '' : text.slice(0, colon)
  const rest = colon < 0 ? '' : text.slice(colon + 1)
  const raw = ((): unknown => {
    switch (prefix) {
      case 'env':
        return { env: { name: rest } }
      case 'file':
        return { file: { path: rest } }
      case 'command':
        return { command: { argv: commandArgv(rest) } }
      case 'secret':
        return { secretKeyRef: kubeParts(rest, 'name') }
      case 'configmap':
        return { configMapKeyRef: kubeParts(rest, 'name') }
      case 'helm':
        return { helmRef: kubeParts(rest, 'release') }
      default:
        throw invalidReference(`"${shown(text)}" is not a reference.`)
    }
  })()
  return parseReference(raw)
}

/** A reference from untrusted structured input (a document's valueFrom, an IPC call). */
export function parseReference(raw: unknown): SecretReference {
  const result = secretReferenceSchema.safeParse(raw)
  if (result.success) return result.data
  throw invalidReference(result.error.issues.map((issue) => issue.message).join('; '))
}

/** The text form of a reference: what the details page and `show` display, never a value. */
export function describeReference(ref: SecretReference): string {
  if (ref.env) return `env:${ref.env.name}`
  if (ref.file) return `file:${ref.file.path}`
  if (ref.command)
    return ref.command.argv.some((arg) => arg === '' || /\s/.test(arg))
      ? `command:${JSON.stringify(ref.command.argv)}`
      : `command:${ref.command.argv.join(' ')}`
  if (ref.secretKeyRef) return `secret:${kubeText(ref.secretKeyRef, ref.secretKeyRef.name)}`
  if (ref.configMapKeyRef)
    return `configmap:${kubeText(ref.configMapKeyRef, ref.configMapKeyRef.name)}`
  if (ref.helmRef) return `helm:${kubeText(ref.helmRef, ref.helmRef.release)}`
  throw new Error('A parsed reference always has a source.')
}

function kubeText(
  source: { connection: string; namespace: string; key: string },
  object: string,
): string {
  return `${source.connection}/${source.namespace}/${object}/${source.key}`
}

/** A command line as argv: split on spaces, or a JSON list when it starts with "[". */
export function commandArgv(rest: string): unknown {
  const trimmed = rest.trim()
  if (trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed) as unknown
    } catch {
      throw invalidReference('The command is not a valid JSON list of strings.')
    }
  }
  return trimmed === '' ? [] : trimmed.split(/\s+/)
}

function kubeParts(rest: string, objectKey: 'name' | 'release'): Record<string, string> {
  const parts = rest.split('/')
  if (parts.length !== 4 || parts.some((part) => part === ''))
    throw invalidReference(
      `"${shown(rest)}" should be four parts: <k8s connection>/<namespace>/<${objectKey}>/<key>.`,
    )
  const [connection, namespace, object, key] = parts as [string, string, string, string]
  return { connection, namespace, [objectKey]: object, key }
}

/** Input echoed in a message, shortened and made printable (it is a reference, not a secret). */
function shown(text: string): string {
  const printableText = text.replace(/\p{Cc}/gu, '?')
  return printableText.length > 80 ? `${printableText.slice(0, 77)}...` : printableText
}

function invalidReference(message: string): BridgekeepError {
  return new BridgekeepError('VALIDATION', `Reference: ${message}`, `Write one of ${TEXT_FORMS}.`)
}
