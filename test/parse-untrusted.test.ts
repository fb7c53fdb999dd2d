// Node-only (process warnings, stderr): kept in test/, since src/shared and its tests must also
// type-check for the renderer.
import { parse as yamlLibraryParse } from 'yaml'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  parseJson,
  parseYaml,
  parsePlainYamlStream,
  parseYamlDocument,
  SyntaxProblem,
} from '../src/shared/parse-untrusted'
import { printedDuring } from './printed'

const canary = () => `CANARY${Math.random().toString(36).slice(2, 12)}${Date.now() % 1000}`

afterEach(() => {
  vi.restoreAllMocks()
})

describe('parseYaml', () => {
  it('reads a custom tag as text and prints nothing (yaml.parse itself prints the line)', async () => {
    const secret = canary()
    const text = `values:\n  token: !secret ${secret}\n`
    let value: unknown
    expect(await printedDuring(() => (value = parseYaml(text)))).toBe('')
    expect(value).toEqual({ values: { token: secret } })
    // yaml's own parse does print it, through process.emitWarning: the leak this module prevents
    // (caught here without letting it reach the test's output).
    const emitted = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined)
    yamlLibraryParse(text)
    expect(emitted.mock.calls.map((call) => String(call[0])).join('\n')).toContain(secret)
  })

  it('prints nothing when a key is a collection (yaml warns with the key)', async () => {
    const secret = canary()
    expect(await printedDuring(() => parseYaml(`? [${secret}]\n: value\n`))).not.toContain(secret)
  })

  it.each([
    ['duplicate keys', (s: string) => `token: ${s}\ntoken: ${s}\n`, 2, 1, 'a key appears twice'],
    ['bad indentation', (s: string) => `a:\n  - ${s}\n b: ${s}\n`, 3, 1, 'indentation'],
    ['an unclosed bracket', (s: string) => `a: [${s}\n`, 2, 1, 'indentation'],
    ['a tab as indentation', (s: string) => `a:\n\tb: ${s}\n`, 2, 1, 'tabs'],
    ['two documents', (s: string) => `a: 1\n---\nb: ${s}\n`, 2, 1, 'more than one document'],
  ])('refuses %s with the position only', async (_name, make, line, column, reason) => {
    const secret = canary()
    let problem: unknown
    const printed = await printedDuring(() => {
      try {
        parseYaml(make(secret))
      } catch (error) {
        problem = error
      }
    })
    expect(problem).toBeInstanceOf(SyntaxProblem)
    const { message, position } = problem as SyntaxProblem
    expect(message).toMatch(/^is not valid YAML \(line \d+, column \d+\): /)
    expect(message).toContain(reason)
    expect(position).toEqual({ line, column })
    expect(JSON.stringify(problem) + message + String((problem as Error).stack)).not.toContain(
      secret,
    )
    expect(printed).not.toContain(secret)
  })

  it('refuses alias bombs and deep nesting without quoting anything', () => {
    const secret = canary()
    const bomb = [`a: &a [${secret}, ${secret}]`]
    for (let i = 1; i < 12; i++)
      bomb.push(`${'b'.repeat(i)}: &${'a'.repeat(i + 1)} [*${'a'.repeat(i)}, *${'a'.repeat(i)}]`)
    expect(() => parseYaml(bomb.join('\n'))).toThrow(/too many aliases/)
    expect(() => parseYaml(`${'['.repeat(100)}${secret}`)).toThrow(/nested too deeply/)
  })

  it('gives the document for editing, and it writes back without printing', async () => {
    const secret = canary()
    const printed = await printedDuring(() => {
      const doc = parseYamlDocument(`a: !secret ${secret}\n`)
      doc.set('b', 'c')
      expect(doc.toString()).toContain('b: c')
    })
    expect(printed).not.toContain(secret)
  })
})

describe('parsePlainYamlStream', () => {
  it('reads documents with the position of any path, and an empty one as null', () => {
    const docs = parsePlainYamlStream('a: 1\n---\n---\nb:\n  c: [x, y]\n', { maxDocuments: 5 })
    expect(docs.map((doc) => doc.value)).toEqual([{ a: 1 }, null, { b: { c: ['x', 'y'] } }])
    expect(docs[2]!.positionOf(['b', 'c', 1])).toEqual({ line: 5, column: 10 })
    expect(docs[2]!.positionOf(['nothing'])).toBeUndefined()
    expect(parsePlainYamlStream('', { maxDocuments: 5 })).toEqual([])
  })

  it('refuses anchors, aliases, tags and too many documents, naming where and never the text', async () => {
    const secret = canary()
    const refused = [
      [`a: &x ${secret}\n`, 'anchors (&name) are not allowed here', 1],
      [`ok: 1\n---\na: 1\nb: *${secret}\n`, 'aliases (*name) are not allowed here (document 2)', 4],
      [`token: !secret ${secret}\n`, 'tags (!name) are not allowed here: write plain values', 1],
      [`token: !!str ${secret}\n`, 'tags (!name) are not allowed here: write plain values', 1],
      [`a: "${secret}\n`, 'a quote or bracket is not closed', 2],
    ] as const
    for (const [text, reason, line] of refused) {
      let problem: unknown
      const printed = await printedDuring(() => {
        try {
          parsePlainYamlStream(text, { maxDocuments: 5 })
        } catch (error) {
          problem = error
        }
      })
      expect(problem).toBeInstanceOf(SyntaxProblem)
      expect((problem as SyntaxProblem).reason).toBe(reason)
      expect((problem as SyntaxProblem).position?.line).toBe(line)
      expect(String((problem as Error).message) + printed).not.toContain(secret)
    }
    expect(() => parsePlainYamlStream('a: 1\n---\nb: 2\n', { maxDocuments: 1 })).toThrow(
      'it holds more than 1 documents',
    )
  })
})

describe('parseJson', () => {
  it.each([
    ['a bare word', (s: string) => `{"a": ${s}}`],
    ['a missing comma', (s: string) => `{"a": "${s}" "b": 1}`],
    ['a cut-off string', (s: string) => `{\n  "a": "${s}`],
    ['a trailing comma', (s: string) => `{"a": "${s}",}`],
    ['a control character', (s: string) => `{"a": "${s}\u0001"}`],
  ])('refuses %s without quoting the text', (_name, make) => {
    const secret = canary()
    let problem: unknown
    try {
      parseJson(make(secret))
    } catch (error) {
      problem = error
    }
    expect(problem).toBeInstanceOf(SyntaxProblem)
    expect((problem as Error).message).toMatch(/^is not valid JSON( \(line \d+, column \d+\))?: /)
    expect(JSON.stringify(problem) + (problem as Error).message).not.toContain(secret)
  })

  it('turns the error offset into a line and column', () => {
    expect(() => parseJson('{\n  "a": 1,\n  "b" 2\n}')).toThrow(
      expect.objectContaining({ position: { line: 3, column: 7 } }),
    )
    expect(() => parseJson('{"a": "cut')).toThrow(/it is cut off/)
  })

  it('reads valid JSON', () => {
    expect(parseJson('{"a": [1, true, null]}')).toEqual({ a: [1, true, null] })
  })
})
