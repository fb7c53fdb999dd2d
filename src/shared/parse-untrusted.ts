import {
  isAlias,
  isNode,
  LineCounter,
  parseAllDocuments,
  parseDocument,
  visit,
  type Document,
  type YAMLError,
} from 'yaml'
import { SyntaxProblem, type TextPosition } from './parse-untrusted-json'

/**
 * The one way Bridgekeep parses text a user or another party handed it (connection files,
 * kubeconfigs, service account keys, runner credentials, shares). Such text may hold secrets, and
 * the parsers quote it: yaml's messages carry a snippet of the offending line (and `yaml.parse`
 * prints its warnings to stderr through process.emitWarning, e.g. for a `!secret` tag), and
 * V8's JSON.parse quotes the text near the error. So nothing here lets a parser log, and every
 * failure becomes a SyntaxProblem that says where (line and column) and what kind of mistake,
 * never any of the text.
 */

// JSON alone, without loading yaml, is parse-untrusted-json.ts; it is part of this one way too.
export { parseJson, SyntaxProblem, type TextPosition } from './parse-untrusted-json'

const YAML_REASONS: Partial<Record<YAMLError['code'], string>> = {
  TAB_AS_INDENT: 'tabs are not allowed for indentation',
  MISSING_CHAR: 'a quote or bracket is not closed',
  BAD_INDENT: 'check the indentation',
  BLOCK_AS_IMPLICIT_KEY: 'check the indentation',
  DUPLICATE_KEY: 'a key appears twice in one section',
  BAD_ALIAS: 'an alias (*name) is malformed',
  MULTIPLE_DOCS: 'it holds more than one document (a --- line)',
  RESOURCE_EXHAUSTION: 'it uses too many aliases',
}

/**
 * Deep nesting makes the yaml parser recurse until the stack runs out, and V8 can then abort the
 * whole process (not throw) when it compiles a regex. Real files nest a handful of levels, so
 * anything beyond these limits is refused before parsing.
 */
const MAX_FLOW_DEPTH = 64
const MAX_INDENT = 256
const MAX_LINE_INDICATORS = 32

export function nestedTooDeeply(text: string): boolean {
  let depth = 0
  for (const char of text) {
    if (char === '[' || char === '{') depth++
    else if ((char === ']' || char === '}') && depth > 0) depth--
    if (depth > MAX_FLOW_DEPTH) return true
  }
  return text.split('\n').some((line) => {
    const lead = /^[ \t]*((?:[-?:][ \t]+)*)/.exec(line)
    const indent = lead?.[0].length ?? 0
    const indicators = lead?.[1]?.replace(/[ \t]/g, '').length ?? 0
    return indent > MAX_INDENT || indicators > MAX_LINE_INDICATORS
  })
}

/** Aliases expand on read: a few hundred nested ones are a "billion laughs" memory bomb. */
const MAX_ALIAS_COUNT = 50

/**
 * The YAML document, for callers that edit it and write it back. Throws a SyntaxProblem on any
 * error; warnings (an unknown `!tag` is read as plain text) are dropped, never printed.
 */
export function parseYamlDocument(text: string): Document {
  if (nestedTooDeeply(text)) throw new SyntaxProblem('YAML', 'it is nested too deeply')
  // parseDocument itself never logs; its errors and warnings are only collected on the document.
  const doc = parseDocument(text)
  const error = doc.errors[0]
  if (error) throw yamlProblem(error)
  // Turning it into values can still warn (a key that is a collection is stringified, quoted in
  // the warning), and toJS/toString read this level: nothing from here on may log.
  doc.options.logLevel = 'silent'
  return doc
}

/** YAML (and so JSON, a subset of it) to plain values. Throws a SyntaxProblem. */
export function parseYaml(text: string): unknown {
  const doc = parseYamlDocument(text)
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch (error) {
    // Aliases are only followed here (an alias bomb, an alias naming no anchor); yaml's message
    // may name the alias, so only its kind is kept.
    const message = error instanceof Error ? error.message : ''
    throw new SyntaxProblem(
      'YAML',
      message.includes('Excessive alias') ? 'it uses too many aliases' : YAML_REASONS.BAD_ALIAS!,
    )
  }
}

function yamlProblem(error: YAMLError): SyntaxProblem {
  const at = error.linePos?.[0]
  return new SyntaxProblem(
    'YAML',
    YAML_REASONS[error.code] ?? 'check the indentation and quotes',
    at ? { line: at.line, column: at.col } : undefined,
  )
}

/** One document of a YAML stream, with the position of any path in it (for messages). */
export interface PlainYamlDocument {
  /** The document as plain values; null for an empty one (two `---` lines in a row). */
  value: unknown
  /** Where the node at `path` starts (1-based line and column), if the document has it. */
  positionOf(path: readonly (string | number)[]): TextPosition | undefined
}

/**
 * A stream of documents separated by `---` (Kubernetes-style files), each to plain values, for
 * input that is data and nothing more: anchors, aliases and tags (`&a`, `*a`, `!secret`) are
 * refused outright rather than expanded or read as text. Throws a SyntaxProblem naming the
 * document, line and reason, never the text; more than `maxDocuments` is refused.
 */
export function parsePlainYamlStream(
  text: string,
  { maxDocuments }: { maxDocuments: number },
): PlainYamlDocument[] {
  if (nestedTooDeeply(text)) throw new SyntaxProblem('YAML', 'it is nested too deeply')
  const lines = new LineCounter()
  const docs = parseAllDocuments(text, { lineCounter: lines })
  const list = Array.isArray(docs) ? docs : [] // an EmptyStream is not an array: no documents
  if (list.length > maxDocuments)
    throw new SyntaxProblem('YAML', `it holds more than ${maxDocuments} documents`)
  const at = (offset: number | undefined): TextPosition | undefined => {
    if (offset === undefined) return undefined
    const { line, col } = lines.linePos(offset)
    return { line, column: col }
  }
  return list.map((doc, index) => {
    const error = doc.errors[0]
    if (error) throw inDocument(yamlProblem(error), index, list.length)
    visit(doc, {
      Node(_key, node) {
        const refused = isAlias(node)
          ? 'aliases (*name) are not allowed here'
          : node.anchor
            ? 'anchors (&name) are not allowed here'
            : node.tag
              ? 'tags (!name) are not allowed here: write plain values'
              : undefined
        if (refused)
          throw inDocument(
            new SyntaxProblem('YAML', refused, at(node.range?.[0])),
            index,
            list.length,
          )
      },
    })
    doc.options.logLevel = 'silent'
    return {
      value: doc.toJS({ maxAliasCount: 0 }) as unknown,
      positionOf: (path) => {
        const node = path.length === 0 ? doc.contents : doc.getIn(path, true)
        return isNode(node) ? at(node.range?.[0]) : undefined
      },
    }
  })
}

/** "document 2 of 3": where in a stream a problem is, beside its line. */
function inDocument(problem: SyntaxProblem, index: number, count: number): SyntaxProblem {
  if (count < 2) return problem
  return new SyntaxProblem(
    problem.format,
    `${problem.reason} (document ${index + 1})`,
    problem.position,
  )
}
