import {
  commandArgv,
  describeReference,
  parseReferenceText,
  referenceKind,
  secretReferenceSchema,
  type ReferenceKind,
  type SecretReference,
} from '../../../../shared/secret-reference'

/**
 * A secret field in "Reference" mode, as typed: one text per input, whatever the kind, so
 * switching kinds keeps what was typed. Turned into the shared reference shape (and checked by
 * its schema) only when validated or sent.
 */
export interface ReferenceDraft {
  kind: ReferenceKind
  /** env: the variable's name. */
  name: string
  /** file: an absolute path or one under ~/. */
  path: string
  /** command: the program and its arguments split on spaces, or a JSON list. */
  command: string
  /** The Kubernetes kinds: the connection (slug), namespace, object (name or release) and key. */
  connection: string
  namespace: string
  object: string
  key: string
}

/** The inputs of a draft; `object` and `key` are labelled by kind (see referenceParts). */
export type DraftPart = Exclude<keyof ReferenceDraft, 'kind'>

export const REFERENCE_KIND_LABELS: Record<ReferenceKind, string> = {
  env: 'Environment variable',
  file: 'File',
  command: 'Command',
  secretKeyRef: 'Kubernetes Secret',
  configMapKeyRef: 'Kubernetes ConfigMap',
  helmRef: 'Helm value',
}

/** The inputs a kind shows, with their labels, in order. */
export function referenceParts(kind: ReferenceKind): { part: DraftPart; label: string }[] {
  switch (kind) {
    case 'env':
      return [{ part: 'name', label: 'Variable name' }]
    case 'file':
      return [{ part: 'path', label: 'File path' }]
    case 'command':
      return [{ part: 'command', label: 'Command line' }]
    case 'secretKeyRef':
    case 'configMapKeyRef':
    case 'helmRef':
      return [
        { part: 'connection', label: 'Kubernetes connection' },
        { part: 'namespace', label: 'Namespace' },
        {
          part: 'object',
          label:
            kind === 'helmRef'
              ? 'Release'
              : kind === 'secretKeyRef'
                ? 'Secret name'
                : 'ConfigMap name',
        },
        { part: 'key', label: kind === 'helmRef' ? 'Values path' : 'Key' },
      ]
  }
}

export function emptyDraft(kind: ReferenceKind = 'env'): ReferenceDraft {
  return {
    kind,
    name: '',
    path: '',
    command: '',
    connection: '',
    namespace: 'default',
    object: '',
    key: '',
  }
}

/** A stored reference (its text form, as the details carry it) as a draft to edit. */
export function draftFromText(text: string): ReferenceDraft {
  const ref = parseReferenceText(text)
  const draft = emptyDraft(referenceKind(ref))
  if (ref.env) draft.name = ref.env.name
  if (ref.file) draft.path = ref.file.path
  if (ref.command) draft.command = describeReference(ref).slice('command:'.length)
  const kube = ref.secretKeyRef ?? ref.configMapKeyRef ?? ref.helmRef
  if (kube) {
    draft.connection = kube.connection
    draft.namespace = kube.namespace
    draft.key = kube.key
    draft.object = 'release' in kube ? kube.release : kube.name
  }
  return draft
}

/**
 * A stored reference as a draft, or a blank one when its text is not one this version reads (a
 * newer kind): the form then asks for it again rather than failing to open.
 */
export function draftFromStored(text: string): ReferenceDraft {
  try {
    return draftFromText(text)
  } catch {
    return emptyDraft()
  }
}

/** The draft in the shared shape, before validation (trimmed; an empty namespace means default). */
function rawReference(draft: ReferenceDraft): unknown {
  const trim = (text: string) => text.trim()
  const kube = {
    connection: trim(draft.connection),
    ...(trim(draft.namespace) ? { namespace: trim(draft.namespace) } : {}),
    key: trim(draft.key),
  }
  switch (draft.kind) {
    case 'env':
      return { env: { name: trim(draft.name) } }
    case 'file':
      return { file: { path: trim(draft.path) } }
    case 'command':
      return { command: { argv: safeArgv(draft.command) } }
    case 'secretKeyRef':
      return { secretKeyRef: { ...kube, name: trim(draft.object) } }
    case 'configMapKeyRef':
      return { configMapKeyRef: { ...kube, name: trim(draft.object) } }
    case 'helmRef':
      return { helmRef: { ...kube, release: trim(draft.object) } }
  }
}

/** A command line that is not valid JSON is reported by the schema, not thrown. */
function safeArgv(text: string): unknown {
  try {
    return commandArgv(text)
  } catch {
    return 'not a list'
  }
}

export type DraftCheck =
  { ok: true; reference: SecretReference } | { ok: false; message: string; part: DraftPart }

/**
 * Checks a draft with the shared reference schema (the one main checks again). The first
 * problem is given with the input it belongs to, so the form can mark that input.
 */
export function checkDraft(draft: ReferenceDraft): DraftCheck {
  const parsed = secretReferenceSchema.safeParse(rawReference(draft))
  if (parsed.success) return { ok: true, reference: parsed.data }
  const issue = parsed.error.issues[0]
  const field = String(issue?.path[1] ?? '')
  const part = referenceParts(draft.kind).find(
    ({ part }) => partKeys[part] === field || (part === 'object' && field === 'release'),
  )?.part
  const message =
    draft.kind === 'command' && !Array.isArray(safeArgv(draft.command))
      ? 'Command: not a valid JSON list; write e.g. ["op","read","op://vault/item/field"], or plain words split on spaces.'
      : (issue?.message ?? 'The reference is not valid.')
  return { ok: false, message, part: part ?? referenceParts(draft.kind)[0]!.part }
}

/** Which key of the shared shape each input fills. */
const partKeys: Record<DraftPart, string> = {
  name: 'name',
  path: 'path',
  command: 'argv',
  connection: 'connection',
  namespace: 'namespace',
  object: 'name',
  key: 'key',
}
