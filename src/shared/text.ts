import type { z } from 'zod'

/**
 * The one rule for text that is not ours: names, slugs, labels and notes typed by a user or carried
 * by a share. These characters are refused on input (the schemas below) and escaped wherever a
 * terminal shows such text (the CLI's `printable`), because they can redraw what a terminal shows
 * or reorder what a reader sees:
 * - C0 controls U+0000–U+001F (ESC starts terminal sequences; CR, BS and the like move the cursor),
 * - DEL U+007F and the C1 controls U+0080–U+009F (U+009B is CSI on terminals that honour 8-bit C1),
 * - the bidi embeddings and overrides U+202A–U+202E and isolates U+2066–U+2069, which make text
 *   read in another order than it is stored ("Trojan Source").
 */
export function isUnsafeCodePoint(codePoint: number): boolean {
  return (
    codePoint <= 0x1f ||
    (codePoint >= 0x7f && codePoint <= 0x9f) ||
    (codePoint >= 0x202a && codePoint <= 0x202e) ||
    (codePoint >= 0x2066 && codePoint <= 0x2069)
  )
}

export interface UnsafeCharacter {
  codePoint: number
  /** 1-based, in characters (code points) of the text as checked. */
  position: number
}

/**
 * The first character of `text` the rule refuses, except those in `allowed` (notes allow line
 * breaks and tabs), or undefined.
 */
export function findUnsafeCharacter(text: string, allowed = ''): UnsafeCharacter | undefined {
  let position = 0
  for (const character of text) {
    position++
    const codePoint = character.codePointAt(0)!
    if (isUnsafeCodePoint(codePoint) && !allowed.includes(character)) return { codePoint, position }
  }
  return undefined
}

/** "U+001B" */
export function codePointName(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`
}

/** "found U+001B at position 3": what a refusal names (the position, never the text around it). */
export function describeUnsafeCharacter(found: UnsafeCharacter): string {
  return `found ${codePointName(found.codePoint)} at position ${found.position}`
}

/** Marks an issue raised by `safeText`, so a share's refusal can say which field it was. */
export const UNSAFE_TEXT_ISSUE = 'unsafeText'

/**
 * `schema` (a string schema, after its trim) refusing the characters above:
 * "Name: cannot contain control characters (found U+001B at position 3)."
 * `allowed` lists the ones this field may hold anyway (notes: "\n\t").
 */
export function safeText<S extends z.ZodString>(schema: S, field: string, allowed = ''): S {
  const what =
    allowed === '' ? 'control characters' : 'control characters other than line breaks and tabs'
  return schema.superRefine((text, ctx) => {
    const found = findUnsafeCharacter(text, allowed)
    if (!found) return
    ctx.addIssue({
      code: 'custom',
      message: `${field} cannot contain ${what} (${describeUnsafeCharacter(found)}).`,
      input: text,
      params: { [UNSAFE_TEXT_ISSUE]: found },
    })
  })
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Bytes as text, or undefined when they are not UTF-8: a secret read from a file, a program or a
 * Kubernetes object is handed on as it was written or not at all (a lenient decoding would hand
 * on U+FFFD in place of a binary key's bytes).
 */
export function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes)
  } catch {
    return undefined
  }
}
