import { chmodSync, statSync, unlinkSync } from 'node:fs'
import { createServer, type Socket } from 'node:net'
import {
  AGENT_MAX_RESPONSE_BYTES,
  AGENT_PROTOCOL_VERSION,
  type AgentResponse,
} from '../../shared/agent-answers'
import {
  AGENT_MAX_REQUEST_BYTES,
  AGENT_READ_TIMEOUT_MS,
  agentRequestSchema,
  type AgentRequestBody,
} from '../../shared/agent-protocol'
import { BridgekeepError, isBridgekeepError } from '../../shared/errors'
import { encodeFrame, FrameDecoder, FrameError } from '../../shared/runner-protocol/framing'
import type { Logger } from '../log'
import type { AuditRecorder } from '../services/audit/audit-service'
import { createAgentToken } from './agent-token'
import { identifyCaller, type AgentCaller } from './caller'
import { callerGate } from './caller-gate'
import { claimSocket } from './claim-socket'
import { isNamedPipe } from './socket-path'

export type AgentHandler = (request: AgentRequestBody, caller: AgentCaller) => Promise<unknown>

export interface AgentServerOptions {
  socketPath: string
  /** The vault this agent serves: a client that means another one is refused. */
  dataDir: string
  handle: AgentHandler
  log: Logger
  /** Where a request refused for want of the token is recorded. */
  audit: AuditRecorder
}

type Gate = ReturnType<typeof callerGate>

export interface AgentServer {
  readonly socketPath: string
  /** Stops accepting, drops open connections and removes the socket file. */
  close(): Promise<void>
}

/**
 * Serves the agent protocol (shared/agent-protocol.ts) on a Unix domain socket (0600, in a 0700
 * folder of this user; claim-socket.ts) or a Windows named pipe. Only one agent serves a socket;
 * the file of a killed one is replaced. Every request must carry this start's token
 * (agent-token.ts): one without it is refused, audited and logged, and nothing else is done for it.
 * Each connection carries one request and gets one answer; a frame that is malformed, too big, of
 * another version or out of order is refused with an error frame, and that connection alone is
 * closed.
 */
export async function startAgentServer(options: AgentServerOptions): Promise<AgentServer> {
  const { socketPath, log } = options
  const token = createAgentToken(options.dataDir)
  const admit = callerGate(token.bytes, options)
  const open = new Set<Socket>()
  const server = createServer((socket) => {
    open.add(socket)
    socket.on('close', () => open.delete(socket))
    serveConnection(socket, options, admit)
  })
  try {
    await claimSocket(server, socketPath, log)
    // In the same tick as listening began: no request is read before the token has its name.
    token.publish()
  } catch (error) {
    token.discard()
    server.close()
    throw error
  }
  const pipe = isNamedPipe(socketPath)
  if (!pipe) chmodSync(socketPath, 0o600)
  const ours = pipe ? undefined : statSync(socketPath).ino
  log.info('agent.started', { socket: socketPath, pid: process.pid })
  return {
    socketPath,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy()
        server.close(() => resolve())
        token.remove()
        // Only our own socket file: a successor may already have replaced a stale one.
        try {
          if (ours !== undefined && statSync(socketPath).ino === ours) unlinkSync(socketPath)
        } catch {
          // Already gone.
        }
        log.info('agent.stopped', { socket: socketPath })
      }),
  }
}

function serveConnection(socket: Socket, options: AgentServerOptions, admit: Gate): void {
  const decoder = new FrameDecoder(AGENT_MAX_REQUEST_BYTES)
  let received = false
  let finished = false
  const finish = (response: AgentResponse) => {
    if (finished) return
    finished = true
    clearTimeout(timer)
    let frame: Uint8Array
    try {
      frame = encodeFrame(response, AGENT_MAX_RESPONSE_BYTES)
    } catch (error) {
      frame = encodeFrame(failure(errorOf(error)))
    }
    socket.end(frame)
  }
  const refuse = (reason: string) => {
    options.log.warn('agent.refused', { reason })
    finish(
      failure(
        new BridgekeepError(
          'VALIDATION',
          `The agent refused the request: ${reason}`,
          'Use the bridgekeep command of the same version as the running agent.',
        ),
      ),
    )
  }
  const timer = setTimeout(
    () => refuse(`no request within ${AGENT_READ_TIMEOUT_MS / 1000} s.`),
    AGENT_READ_TIMEOUT_MS,
  )
  socket.on('error', () => {
    // The client went away; nothing to answer.
  })
  socket.on('close', () => clearTimeout(timer))
  socket.on('data', (chunk: Buffer) => {
    if (finished) return
    let frames: unknown[]
    try {
      frames = decoder.push(chunk)
    } catch (error) {
      // FrameError names the problem and the size, never the bytes.
      return refuse(error instanceof FrameError ? error.message : 'unreadable frame.')
    }
    for (const frame of frames) {
      if (received) return refuse('one request per connection, and this one was already sent.')
      received = true
      clearTimeout(timer)
      void answer(frame, options, admit).then(finish)
    }
  })
}

async function answer(
  frame: unknown,
  options: AgentServerOptions,
  admit: Gate,
): Promise<AgentResponse> {
  const version = (frame as { v?: unknown } | null)?.v
  if (version !== AGENT_PROTOCOL_VERSION) {
    return failure(
      new BridgekeepError(
        'VALIDATION',
        `The agent refused the request: it speaks protocol version ${AGENT_PROTOCOL_VERSION}, the request is of ${typeof version === 'number' ? `version ${version}` : 'no version'}.`,
        'Use the bridgekeep command of the same version as the running agent (after an upgrade, quit and reopen the app, or restart bridgekeep agent).',
      ),
    )
  }
  // Before anything else: a caller without the token learns nothing about this vault.
  const refused = admit(frame)
  if (refused) return failure(refused)
  const parsed = agentRequestSchema.safeParse(frame)
  if (!parsed.success) {
    // Paths only: a value may be anything, a secret pasted in the wrong place included. The
    // caller's environment is named as a whole, not by its variables' names.
    const where = [
      ...new Set(
        parsed.error.issues.map((issue) => {
          const at = issue.path.indexOf('callerEnv')
          return (at < 0 ? issue.path : issue.path.slice(0, at + 1)).join('.')
        }),
      ),
    ]
    options.log.warn('agent.refused', { reason: 'invalid request', fields: where })
    return failure(
      new BridgekeepError(
        'VALIDATION',
        `The agent refused the request: it does not match the protocol (${where.join(', ') || 'the whole request'}).`,
        'Use the bridgekeep command of the same version as the running agent.',
      ),
    )
  }
  const { dataDir, caller, request } = parsed.data
  if (dataDir !== options.dataDir) {
    return failure(
      new BridgekeepError(
        'VALIDATION',
        `This agent serves the vault in ${options.dataDir}, not ${dataDir}.`,
        'Set BRIDGEKEEP_HOME to the same folder for both, or BRIDGEKEEP_AGENT=off to open the vault directly.',
      ),
    )
  }
  const identified = identifyCaller(caller)
  try {
    const value = await options.handle(request, identified)
    options.log.info('agent.request', { op: request.op, pid: identified.pid, ok: true })
    return { v: AGENT_PROTOCOL_VERSION, ok: true, value }
  } catch (error) {
    const shaped = errorOf(error)
    options.log.info('agent.request', {
      op: request.op,
      pid: identified.pid,
      ok: false,
      code: shaped.code,
    })
    if (!isBridgekeepError(error))
      options.log.error('agent.failed', { op: request.op, error: (error as Error)?.name })
    return failure(shaped)
  }
}

/** A BridgekeepError as it is; anything else (a bug) without its message, which may hold data. */
function errorOf(error: unknown): BridgekeepError {
  if (isBridgekeepError(error)) return error
  if (error instanceof FrameError)
    return new BridgekeepError('INTERNAL', `The agent's answer is too large: ${error.message}`)
  return new BridgekeepError(
    'INTERNAL',
    'The agent failed unexpectedly.',
    'Run it with BRIDGEKEEP_LOG=debug to see where, or use BRIDGEKEEP_AGENT=off meanwhile.',
  )
}

function failure(error: BridgekeepError): AgentResponse {
  return {
    v: AGENT_PROTOCOL_VERSION,
    ok: false,
    error: {
      code: error.code,
      message: error.message,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
    },
  }
}
