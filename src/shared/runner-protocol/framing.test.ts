import { describe, expect, it } from 'vitest'
import { encodeFrame, FrameDecoder, FrameError } from './framing'

const header = (length: number) => {
  const bytes = new Uint8Array(4)
  new DataView(bytes.buffer).setUint32(0, length)
  return bytes
}
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

function thrown(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

describe('length-prefixed JSON frames', () => {
  it('round-trips frames split and joined at any byte', () => {
    const values = [{ type: 'ping' }, { text: 'héllo ✓', n: 42 }, [1, 2, 3]]
    const stream = concat(...values.map((value) => encodeFrame(value)))
    for (let cut = 1; cut < stream.length; cut++) {
      const decoder = new FrameDecoder()
      const out = [...decoder.push(stream.subarray(0, cut)), ...decoder.push(stream.subarray(cut))]
      expect(out).toEqual(values)
      expect(decoder.buffered).toBe(0)
    }
  })

  it('refuses an oversize frame from its header alone, before buffering its body', () => {
    expect(() => new FrameDecoder(1024).push(header(1025))).toThrow(FrameError)
    expect(thrown(() => new FrameDecoder(1024).push(header(10_000_000)))).toMatchObject({
      problem: 'oversize',
      bytes: 10_000_000,
    })
  })

  it('refuses to encode beyond the limit', () => {
    expect(() => encodeFrame({ big: 'x'.repeat(2000) }, 1024)).toThrow(/exceeds the limit/)
  })

  it.each([
    ['not JSON', new TextEncoder().encode('{"type": nope')],
    ['not UTF-8', new Uint8Array([0xff, 0xfe, 0x7b])],
  ])('refuses a frame that is %s, naming its size and never its content', (_, body) => {
    const decoder = new FrameDecoder()
    const caught = thrown(() => decoder.push(concat(header(body.length), body)))
    expect(caught).toBeInstanceOf(FrameError)
    expect((caught as FrameError).problem).toBe('malformed')
    expect((caught as FrameError).message).not.toContain('nope')
    // The stream is dead after a bad frame: no resynchronising on guesswork.
    expect(() => decoder.push(encodeFrame({ ok: true }))).toThrow(FrameError)
  })

  it('refuses an empty frame', () => {
    expect(() => new FrameDecoder().push(header(0))).toThrow(/empty frame/)
  })
})
