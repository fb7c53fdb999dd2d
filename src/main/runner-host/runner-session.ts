import type { TLSSocket } from 'node:tls'
import { BridgekeepError, errorCodes, type ErrorCode } from '../../shared/errors'
import { encodeFrame } from '../../shared/runner-protocol/framing'
import type {
  AppFrame,
  Operation,
  OperationResult,
  RefusalStage,
  RunnerFrame,
} from '../../shared/runner-protocol/protocol'

export type Heartbeat = Extract<RunnerFrame, { type: 'heartbeat' }>
export type RunnerLogFrame = Extract<RunnerFrame, { type: 'log' }>

export interface RequestOptions {
  /** How long the runner may take; the request is cancelled on the runner after that. */
  timeoutMs?: number
  signal?: AbortSignal
}

export const DEFAULT_OPERATION_TIMEOUT_MS = 30_000

interface Pending {
  resolve(result: OperationResult): void
  reject(error: Error): void
}

export interface SessionInfo {
  runnerId: string
  serial: string
  pid: number
  local: boolean
  version: string
  address: string
}

/**
 * One authenticated runner connection, on the app's side: requests with ids, timeouts and
 * cancellation; heartbeats and log lines as they arrive.
 */
export class RunnerSession {
  readonly connectedAt = Date.now()
  lastSeenAt = Date.now()
  lastHeartbeat: Heartbeat | undefined
  private readonly pending = new Map<string, Pending>()
  private sequence = 0
  private closed = false
  private readonly heartbeatListeners = new Set<(beat: Heartbeat) => void>()
  private readonly logListeners = new Set<(line: RunnerLogFrame) => void>()
  private readonly closeListeners = new Set<(reason: string) => void>()

  constructor(
    readonly info: SessionInfo,
    private readonly socket: TLSSocket,
    private readonly maxFrameBytes: number,
  ) {
    socket.once('close', () => this.finish('The runner disconnected.'))
  }

  get isClosed(): boolean {
    return this.closed
  }

  get inFlight(): number {
    return this.pending.size
  }

  onHeartbeat(listener: (beat: Heartbeat) => void): () => void {
    this.heartbeatListeners.add(listener)
    return () => this.heartbeatListeners.delete(listener)
  }

  onLog(listener: (line: RunnerLogFrame) => void): () => void {
    this.logListeners.add(listener)
    return () => this.logListeners.delete(listener)
  }

  onClose(listener: (reason: string) => void): () => void {
    if (this.closed) listener('The runner disconnected.')
    else this.closeListeners.add(listener)
    return () => this.closeListeners.delete(listener)
  }

  /** Sends one operation and resolves with the runner's result (or its error, as a BridgekeepError). */
  request(op: Operation, options: RequestOptions = {}): Promise<OperationResult> {
    if (this.closed) return Promise.reject(unavailable('The runner is not connected.'))
    const { signal } = options
    if (signal?.aborted) return Promise.reject(cancelled())
    const timeoutMs = options.timeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS
    const id = (++this.sequence).toString(36)
    return new Promise<OperationResult>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
        this.pending.delete(id)
      }
      const giveUp = (error: Error) => {
        cleanup()
        // Tell the runner to stop working on it; a late answer is then ignored.
        this.trySend({ type: 'cancel', id })
        reject(error)
      }
      const timer = setTimeout(
        () =>
          giveUp(
            new BridgekeepError(
              'RUNNER_TIMEOUT',
              `The runner did not answer the ${op.type} operation within ${timeoutMs} ms.`,
              'Check the runner log for what it was waiting on, then try again.',
            ),
          ),
        timeoutMs,
      )
      const onAbort = () => giveUp(cancelled())
      signal?.addEventListener('abort', onAbort, { once: true })
      this.pending.set(id, {
        resolve: (result) => {
          cleanup()
          resolve(result)
        },
        reject: (error) => {
          cleanup()
          reject(error)
        },
      })
      try {
        this.send({ type: 'request', id, timeoutMs, op })
      } catch (error) {
        cleanup()
        reject(
          error instanceof BridgekeepError ? error : unavailable('The request could not be sent.'),
        )
      }
    })
  }

  /** A frame from the runner, already parsed against the protocol. */
  handle(frame: RunnerFrame): void {
    this.lastSeenAt = Date.now()
    switch (frame.type) {
      case 'response': {
        const pending = this.pending.get(frame.id)
        if (!pending) return // cancelled or timed out already
        if (frame.ok) pending.resolve(frame.result)
        else pending.reject(operationError(frame.error.code, frame.error.message))
        return
      }
      case 'heartbeat':
        this.lastHeartbeat = frame
        for (const listener of this.heartbeatListeners) listener(frame)
        return
      case 'log':
        for (const listener of this.logListeners) listener(frame)
        return
      case 'auth':
        // Handled by the server before a session exists; a second one is a protocol error there.
        return
    }
  }

  send(frame: AppFrame): void {
    this.socket.write(encodeFrame(frame, this.maxFrameBytes))
  }

  private trySend(frame: AppFrame): void {
    try {
      if (!this.closed) this.send(frame)
    } catch {
      // the connection is going away; its close settles everything
    }
  }

  /** Ends the session, telling the runner why first when there is a reason to give. */
  close(refusal?: { stage: RefusalStage; reason: string }): void {
    if (refusal) this.trySend({ type: 'refused', ...refusal })
    this.socket.end()
    // A runner that does not close its side is cut off.
    setTimeout(() => this.socket.destroy(), 1000).unref()
    this.finish(refusal?.reason ?? 'The app closed the connection.')
  }

  private finish(reason: string): void {
    if (this.closed) return
    this.closed = true
    for (const pending of [...this.pending.values()]) {
      pending.reject(unavailable('The runner disconnected before answering.'))
    }
    this.pending.clear()
    for (const listener of this.closeListeners) listener(reason)
    this.closeListeners.clear()
  }
}

function unavailable(message: string): BridgekeepError {
  return new BridgekeepError(
    'RUNNER_UNAVAILABLE',
    message,
    'Start the runner from the Runner page, or check its log.',
  )
}

function cancelled(): BridgekeepError {
  return new BridgekeepError('RUNNER_CANCELLED', 'The operation was cancelled.')
}

/** A runner's error as the app's error type: its own code when Bridgekeep knows it. */
function operationError(code: string, message: string): BridgekeepError {
  const known = (errorCodes as readonly string[]).includes(code)
  return new BridgekeepError(known ? (code as ErrorCode) : 'OPERATION_FAILED', message)
}
