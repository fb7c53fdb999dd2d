import { describe, expect, it } from 'vitest'
import { connectionInputSchema, connectionUpdateSchema } from './connections'
import { environmentInputSchema, environmentUpdateSchema } from './environments'
import { contactInputSchema, exportInputSchema, importChoiceSchema, setNameSchema } from './sharing'
import { findUnsafeCharacter, isUnsafeCodePoint } from './text'
import { enrollmentRequestSchema } from './runner-protocol/status'

const messages = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.error?.issues.map((issue) => issue.message) ?? []

describe('the character rule', () => {
  it('covers C0, DEL, C1 and the bidi embeddings, overrides and isolates, nothing else', () => {
    const unsafe = [
      ...Array.from({ length: 0x20 }, (_, i) => i),
      ...Array.from({ length: 0x21 }, (_, i) => 0x7f + i),
      ...[0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069],
    ]
    for (const codePoint of unsafe)
      expect(isUnsafeCodePoint(codePoint), String(codePoint)).toBe(true)
    for (const codePoint of [0x20, 0x41, 0x7e, 0xa0, 0xe9, 0x2029, 0x202f, 0x2065, 0x206a, 0x1f600])
      expect(isUnsafeCodePoint(codePoint), String(codePoint)).toBe(false)
  })

  it('finds the first one, by character position (1-based, astral characters count once)', () => {
    expect(findUnsafeCharacter('plain name, é and 😀')).toBeUndefined()
    expect(findUnsafeCharacter('ab\u001b[1A')).toEqual({ codePoint: 0x1b, position: 3 })
    expect(findUnsafeCharacter('😀\u202e')).toEqual({ codePoint: 0x202e, position: 2 })
    expect(findUnsafeCharacter('\u0000')).toEqual({ codePoint: 0, position: 1 })
    expect(findUnsafeCharacter('a\n\tb\u0007', '\n\t')).toEqual({ codePoint: 7, position: 5 })
  })
})

describe('schemas refuse control characters in names, labels and notes', () => {
  const form = { provider: 'aws', authMode: 'access-key', values: {} }

  it('connections: name, labels and notes (notes keep line breaks and tabs)', () => {
    expect(messages(connectionInputSchema.safeParse({ ...form, name: 'ab\u001b[2K' }))).toEqual([
      'Name: cannot contain control characters (found U+001B at position 3).',
    ])
    expect(
      messages(connectionInputSchema.safeParse({ ...form, name: 'ok', labels: ['a', 'b\u202ec'] })),
    ).toEqual(['Labels: a label cannot contain control characters (found U+202E at position 2).'])
    expect(
      messages(connectionUpdateSchema.safeParse({ id: 'x', notes: 'line\n\tmore\u0007' })),
    ).toEqual([
      'Notes: cannot contain control characters other than line breaks and tabs (found U+0007 at position 11).',
    ])
    expect(messages(connectionUpdateSchema.safeParse({ id: 'x', notes: 'a\rb' }))).toEqual([
      'Notes: cannot contain control characters other than line breaks and tabs (found U+000D at position 2).',
    ])
    expect(messages(connectionUpdateSchema.safeParse({ id: 'x', name: 'a\u0000' }))).toHaveLength(1)
    // Line breaks and tabs stay in notes; a pasted CRLF becomes a line break.
    const notes = connectionInputSchema.parse({ ...form, name: 'ok', notes: 'a\r\n\tb\nc' }).notes
    expect(notes).toBe('a\n\tb\nc')
    // Slugs already allow only [a-z0-9-].
    expect(connectionInputSchema.safeParse({ ...form, name: 'ok', slug: 'a\u001bb' }).success).toBe(
      false,
    )
  })

  it('environments: name and description', () => {
    expect(messages(environmentInputSchema.safeParse({ name: 'prod\u202e' }))).toEqual([
      'Name: cannot contain control characters (found U+202E at position 5).',
    ])
    expect(
      messages(environmentUpdateSchema.safeParse({ id: 'x', description: 'a\u009bb' })),
    ).toEqual(['Description: cannot contain control characters (found U+009B at position 2).'])
  })

  it('sharing: contact names, the name sent with shares, export scope, rename on import', () => {
    const address = 'bkshare1:whatever'
    expect(messages(contactInputSchema.safeParse({ name: 'Bob\u001b[1A', address }))).toEqual([
      'Name: cannot contain control characters (found U+001B at position 4).',
    ])
    expect(messages(contactInputSchema.safeParse({ name: 'B\u2066ob', address }))).toHaveLength(1)
    expect(messages(setNameSchema.safeParse({ name: 'Alice\u007f' }))).toEqual([
      'Name: cannot contain control characters (found U+007F at position 6).',
    ])
    expect(
      exportInputSchema.safeParse({
        connectionIds: ['c'],
        to: { kind: 'contacts', contactIds: ['x'] },
        environments: ['staging\u001b'],
      }).success,
    ).toBe(false)
    expect(
      importChoiceSchema.safeParse({ slug: 'a', action: 'rename', name: 'x\u202e' }).success,
    ).toBe(false)
    expect(enrollmentRequestSchema.safeParse({ label: 'ci\u001b[2K' }).success).toBe(false)
  })

  it('still accepts ordinary names in any script, with the surrounding spaces trimmed', () => {
    expect(contactInputSchema.parse({ name: '  Zoë (équipe 東京) ', address: 'x' }).name).toBe(
      'Zoë (équipe 東京)',
    )
    expect(
      connectionInputSchema.parse({ ...form, name: 'Prod AWS 😀', labels: ['ü'] }),
    ).toMatchObject({ name: 'Prod AWS 😀', labels: ['ü'] })
  })
})
