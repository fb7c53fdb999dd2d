import tls from 'node:tls'
import type { RunnerEnrollment } from '../src/shared/runner-protocol/enrollment'
import { encodeFrame, FrameDecoder } from '../src/shared/runner-protocol/framing'

export interface RawClient {
  socket: tls.TLSSocket
  /** Frames the app sent, parsed. */
  frames: unknown[]
  /** Resolves when the connection has closed. */
  closed: Promise<void>
  send(value: unknown): void
  sendBytes(bytes: Uint8Array): void
  /** Resolves with the first frame of this type. */
  next(type: string, timeoutMs?: number): Promise<Record<string, unknown>>
}

/**
 * A bare mutual-TLS client for the control listener, for the tests that play a misbehaving
 * runner: it presents whatever certificate it is given and sends whatever bytes it is told.
 */
export function rawClient(
  endpoint: { host: string; port: number },
  tlsOptions: { ca: string; cert?: string; key?: string },
): RawClient {
  const frames: unknown[] = []
  const waiters: (() => void)[] = []
  const decoder = new FrameDecoder()
  const socket = tls.connect({
    host: endpoint.host,
    port: endpoint.port,
    ca: [tlsOptions.ca],
    cert: tlsOptions.cert,
    key: tlsOptions.key,
    minVersion: 'TLSv1.3',
    checkServerIdentity: () => undefined,
  })
  socket.on('error', () => undefined)
  socket.on('data', (chunk: Buffer) => {
    try {
      frames.push(...decoder.push(chunk))
    } catch {
      socket.destroy()
    }
    for (const wake of waiters.splice(0)) wake()
  })
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  const ready = new Promise<void>((resolve) => socket.once('secureConnect', () => resolve()))
  return {
    socket,
    frames,
    closed,
    send: (value) => void ready.then(() => socket.write(encodeFrame(value))),
    sendBytes: (bytes) => void ready.then(() => socket.write(bytes)),
    next: async (type, timeoutMs = 5000) => {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const found = frames.find((frame) => (frame as { type?: string }).type === type)
        if (found) return found as Record<string, unknown>
        if (socket.destroyed && frames.length === 0 && Date.now() > deadline) break
        if (Date.now() > deadline) break
        await Promise.race([
          new Promise<void>((resolve) => waiters.push(resolve)),
          closed,
          new Promise((resolve) => setTimeout(resolve, 50)),
        ])
      }
      throw new Error(
        `no ${type} frame (got ${frames.map((f) => (f as { type?: string }).type).join(', ') || 'none'})`,
      )
    },
  }
}

/** The auth frame a runner sends in phase two. */
export function authFrame(enrollment: RunnerEnrollment, apiKey = enrollment.apiKey) {
  return {
    type: 'auth',
    protocol: 1,
    runnerId: enrollment.runner.id,
    apiKey,
    version: 'test',
    pid: process.pid,
    platform: 'test',
    local: false,
  }
}
