/**
 * The JSON half of parse-untrusted.ts (which re-exports it), apart so that code needing only JSON
 * (exec's GCP key files, on every such call) does not load yaml, a quarter of a megabyte. Same
 * rule: a failure is a SyntaxProblem naming a position and a reason, never any of the text.
 */

export interface TextPosition {
  line: number
  column: number
}

/** A parse failure safe to show: its message holds a position and a reason, never the input. */
export class SyntaxProblem extends Error {
  override readonly name = 'SyntaxProblem'
  /** " (line 2, column 7)", or '' when the parser gave no position. */
  readonly where: string
  constructor(
    readonly format: 'YAML' | 'JSON',
    /** Why, in words that never quote the input (e.g. "a key appears twice in one section"). */
    readonly reason: string,
    readonly position?: TextPosition,
  ) {
    const where = position ? ` (line ${position.line}, column ${position.column})` : ''
    super(`is not valid ${format}${where}: ${reason}`)
    this.where = where
  }
}

/** JSON to plain values. Throws a SyntaxProblem with the error's position, never V8's message. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    const message = error instanceof Error ? error.message : ''
    // Only digits are taken from V8's message ("... in JSON at position 42").
    const offset = /at position (\d+)/.exec(message)?.[1]
    const cutOff = message.includes('end of JSON input') || message.includes('Unterminated')
    throw new SyntaxProblem(
      'JSON',
      cutOff ? 'it is cut off' : 'check the quotes, commas and brackets',
      offset === undefined ? undefined : positionAt(text, Number(offset)),
    )
  }
}

function positionAt(text: string, offset: number): TextPosition {
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  return { line, column: offset - before.lastIndexOf('\n') }
}
