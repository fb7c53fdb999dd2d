import { parseDocument, type Document, type YAMLError } from 'yaml'
import { SyntaxProblem } from './parse-untrusted-json'

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
export { parseJson, SyntaxProblem } from './parse-untrusted-json'

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
