import { readStreamLimited } from '../../main/fs/bounded-read'
import { BridgekeepError } from '../../shared/errors'
import {
  parsePlainYamlStream,
  SyntaxProblem,
  type PlainYamlDocument,
} from '../../shared/parse-untrusted'
import { readValueFile } from '../field-values'
import type { CliIO } from '../framework/io'

/*
 * The bounds of what apply reads: connection documents are small, so a file that is not one (a
 * disk image, a log, a YAML bomb) is refused before it costs anything.
 */
export const MAX_INPUT_BYTES = 1024 * 1024
export const MAX_DOCUMENTS = 200
/** A document nests six levels at most (spec.fields.x.valueFrom.secretKeyRef.key). */
const MAX_DEPTH = 10

const HELP = 'See bridgekeep apply --help for the shape of a connection document.'

/** The documents of `-f <file|->`, parsed as plain YAML (JSON is YAML too). */
export async function readDocuments(io: CliIO, source: string): Promise<PlainYamlDocument[]> {
  const what = 'connection documents'
  const text =
    source === '-'
      ? (
          await readStreamLimited(io.stdin, { source: 'stdin', what, limit: MAX_INPUT_BYTES })
        ).toString('utf8')
      : readValueFile(io, source, what, MAX_INPUT_BYTES)
  const name = source === '-' ? 'stdin' : source
  const documents = parsed(() => parsePlainYamlStream(text, { maxDocuments: MAX_DOCUMENTS }), name)
  // JSON has no `---`: a list (what `get -o json` prints for several) holds documents too.
  const items = documents.flatMap((document) =>
    Array.isArray(document.value)
      ? document.value.map((value: unknown, index) => ({
          value,
          positionOf: (path: readonly (string | number)[]) => document.positionOf([index, ...path]),
        }))
      : [document],
  )
  if (items.length > MAX_DOCUMENTS)
    throw new BridgekeepError(
      'VALIDATION',
      `${name} holds more than ${MAX_DOCUMENTS} documents. Nothing was applied.`,
      'Split it into several files.',
    )
  return items
}

/** Plain YAML (or JSON) read from stdin for --secrets-from-stdin: one document. */
export async function readStdinData(io: CliIO, what: string): Promise<unknown> {
  const bytes = await readStreamLimited(io.stdin, { source: 'stdin', what, limit: MAX_INPUT_BYTES })
  const [document, more] = parsed(
    () => parsePlainYamlStream(bytes.toString('utf8'), { maxDocuments: 1 }),
    'stdin',
  )
  if (more) throw new BridgekeepError('VALIDATION', 'stdin holds more than one document.')
  return document?.value ?? null
}

function parsed(parse: () => PlainYamlDocument[], name: string): PlainYamlDocument[] {
  let documents: PlainYamlDocument[]
  try {
    documents = parse()
  } catch (error) {
    // A SyntaxProblem says where, never what: the text may hold secrets.
    if (!(error instanceof SyntaxProblem)) throw error
    throw new BridgekeepError('VALIDATION', `${name} ${error.message}. Nothing was applied.`, HELP)
  }
  const deep = documents.findIndex((document) => depth(document.value) > MAX_DEPTH)
  if (deep >= 0)
    throw new BridgekeepError(
      'VALIDATION',
      `${name}: document ${deep + 1} nests deeper than a connection document does (${MAX_DEPTH} levels). Nothing was applied.`,
      HELP,
    )
  return documents
}

function depth(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0
  const children = Array.isArray(value) ? value : Object.values(value)
  let deepest = 0
  for (const child of children) deepest = Math.max(deepest, depth(child))
  return deepest + 1
}
