import { describe, expect, it } from 'vitest'
import { BridgekeepError } from '../../shared/errors'
import { reportError, UsageError } from './errors'
import { keyValues, printable, table } from './output'

/** Bytes that drive a terminal or reorder a line: none may reach it from data. */
// eslint-disable-next-line no-control-regex -- these very bytes are what the tests look for
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/
const REDRAW = '\u001b[1A\u001b[2K\r'

function collect() {
  let text = ''
  return {
    stream: { write: (chunk: string) => (text += chunk) },
    text: () => text,
  }
}

describe('printable', () => {
  it('shows control characters and bidi overrides as escapes, leaves other text alone', () => {
    expect(printable(`Alice${REDRAW}`)).toBe('Alice\\x1b[1A\\x1b[2K\\x0d')
    expect(printable('a\u0000b\u0007c\u007fd\u009be')).toBe('a\\x00b\\x07c\\x7fd\\x9be')
    expect(printable('abc\u202edcba \u2066x\u2069')).toBe('abc\\u202edcba \\u2066x\\u2069')
    expect(printable('two\nlines\tand a tab')).toBe('two\\x0alines\\x09and a tab')
    const plain = 'Prod AWS (eu) — Zoë 東京 😀 \\x1b'
    expect(printable(plain)).toBe(plain)
  })

  it('keeps line breaks and tabs in multiline text (notes), escaping the rest', () => {
    expect(printable('first\n\tsecond\r\n\u001b[31mred', { multiline: true })).toBe(
      'first\n\tsecond\\x0d\n\\x1b[31mred',
    )
  })

  it('is what table and keyValues apply to every cell (line breaks still become spaces)', () => {
    const rows = [{ name: `Eve${REDRAW}`, labels: 'a\u202eb\nc' }]
    const text = table(rows, [
      { header: 'NAME', value: (row) => row.name },
      { header: 'LABELS', value: (row) => row.labels },
    ])
    expect(text).not.toMatch(RAW)
    expect(text).toBe(
      // The carriage return became a space, as line breaks do in cells.
      ['NAME                LABELS', 'Eve\\x1b[1A\\x1b[2K   a\\u202eb c', ''].join('\n'),
    )
    const details = keyValues([
      ['From', `Mallory${REDRAW}: a verified contact`],
      [`key\u001b`, 'value'],
    ])
    expect(details).not.toMatch(RAW)
    expect(details).toBe(
      ['From     Mallory\\x1b[1A\\x1b[2K : a verified contact', 'key\\x1b  value', ''].join('\n'),
    )
  })
})

describe('reportError', () => {
  it('escapes what an error quotes: message, field issues and hint', () => {
    const out = collect()
    const code = reportError(
      out.stream,
      new BridgekeepError(
        'NOT_FOUND',
        `There is no contact Eve${REDRAW}.`,
        `Contacts: Bob\u202e. Ask again.\nSecond line of a hint\u0007`,
        [{ field: 'name', message: `Name: "x${REDRAW}" is taken.` }],
      ),
    )
    expect(code).toBe(1)
    expect(out.text()).not.toMatch(RAW)
    expect(out.text()).toBe(
      [
        'bridgekeep: There is no contact Eve\\x1b[1A\\x1b[2K\\x0d.',
        '  - Name: "x\\x1b[1A\\x1b[2K\\x0d" is taken. [name]',
        'Contacts: Bob\\u202e. Ask again.',
        'Second line of a hint\\x07',
        '',
      ].join('\n'),
    )
  })

  it('escapes usage errors (they quote arguments) and unexpected errors', () => {
    const usage = collect()
    expect(reportError(usage.stream, new UsageError(`unknown command "x${REDRAW}".`))).toBe(2)
    expect(usage.text()).toContain('unknown command "x\\x1b[1A\\x1b[2K\\x0d".')
    expect(usage.text()).not.toMatch(RAW)
    const unexpected = collect()
    reportError(unexpected.stream, new Error(`boom\u001b]0;title\u0007`))
    expect(unexpected.text()).toBe('bridgekeep: unexpected error: boom\\x1b]0;title\\x07\n')
  })
})
