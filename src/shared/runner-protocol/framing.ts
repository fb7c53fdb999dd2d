/**
 * The control channel's framing: each frame is a 4-byte big-endian length, then that many bytes of
 * UTF-8 JSON. Platform-free (Uint8Array, TextEncoder), so the app and the runner share it; Node
 * Buffers are Uint8Arrays and pass straight in.
 */

export const FRAME_HEADER_BYTES = 4
/** Big enough for any operation (a service-account key is a few KiB), small enough to refuse junk. */
export const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024

export type FrameProblem = 'oversize' | 'malformed'

/**
 * A frame that cannot be accepted. The message names the problem and the size only: never the
 * content, which may hold a secret.
 */
export class FrameError extends Error {
  override readonly name = 'FrameError'
  constructor(
    readonly problem: FrameProblem,
    readonly bytes: number,
    message: string,
  ) {
    super(message)
  }
}

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

/** One frame for `value`; throws FrameError('oversize') beyond `maxBytes` of JSON. */
export function encodeFrame(value: unknown, maxBytes = DEFAULT_MAX_FRAME_BYTES): Uint8Array {
  const body = encoder.encode(JSON.stringify(value))
  if (body.length > maxBytes) {
    throw new FrameError(
      'oversize',
      body.length,
      `A frame of ${body.length} bytes exceeds the limit of ${maxBytes} bytes.`,
    )
  }
  const frame = new Uint8Array(FRAME_HEADER_BYTES + body.length)
  new DataView(frame.buffer).setUint32(0, body.length)
  frame.set(body, FRAME_HEADER_BYTES)
  return frame
}

/**
 * Turns a byte stream back into parsed JSON values. `push` returns the frames completed by a
 * chunk and throws FrameError on the first bad one; after that the stream is unusable (the caller
 * drops the connection: resynchronising a length-prefixed stream is guesswork).
 */
export class FrameDecoder {
  private pending: Uint8Array = new Uint8Array(0)
  private failed = false

  constructor(private readonly maxBytes = DEFAULT_MAX_FRAME_BYTES) {}

  push(chunk: Uint8Array): unknown[] {
    if (this.failed) throw new FrameError('malformed', 0, 'The stream already failed.')
    let data = chunk
    if (this.pending.length > 0) {
      data = new Uint8Array(this.pending.length + chunk.length)
      data.set(this.pending)
      data.set(chunk, this.pending.length)
    }
    const values: unknown[] = []
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
    let at = 0
    try {
      while (data.length - at >= FRAME_HEADER_BYTES) {
        const length = view.getUint32(at)
        // Refuse on the header alone: an oversize frame is never buffered.
        if (length > this.maxBytes) {
          throw new FrameError(
            'oversize',
            length,
            `A frame of ${length} bytes exceeds the limit of ${this.maxBytes} bytes.`,
          )
        }
        if (length === 0) throw new FrameError('malformed', 0, 'An empty frame.')
        if (data.length - at - FRAME_HEADER_BYTES < length) break
        const body = data.subarray(at + FRAME_HEADER_BYTES, at + FRAME_HEADER_BYTES + length)
        values.push(parseBody(body))
        at += FRAME_HEADER_BYTES + length
      }
    } catch (error) {
      this.failed = true
      this.pending = new Uint8Array(0)
      throw error
    }
    // Copy the remainder: keeping a view would pin the whole (possibly large) chunk.
    this.pending = at === data.length ? new Uint8Array(0) : data.slice(at)
    return values
  }

  /** Bytes received but not yet part of a complete frame. */
  get buffered(): number {
    return this.pending.length
  }
}

function parseBody(body: Uint8Array): unknown {
  let text: string
  try {
    text = decoder.decode(body)
  } catch {
    throw new FrameError('malformed', body.length, `A frame of ${body.length} bytes is not UTF-8.`)
  }
  try {
    return JSON.parse(text)
  } catch {
    throw new FrameError('malformed', body.length, `A frame of ${body.length} bytes is not JSON.`)
  }
}
