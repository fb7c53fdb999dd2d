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
  agentCommandResultSchema,
  agentRequestSchema,
  type AgentCommandResult,
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

export type AgentHandler = (
  request: AgentRequestBody,
  caller: AgentCaller,
  conversation: CallerConversation,
) => Promise<unknown>

/**
 * What the agent may ask the caller before it answers, on the same connection: to run a
 * `command:` reference on its terminal (only a caller that said `commandsOnTerminal` is asked).
 * Always resolves: a caller that went away, stalled or answered out of protocol is a failure
 * with the reason, as a command that failed on its terminal is.
 */
export interface CallerConversation {
  runCommand(argv: readonly string[], timeoutMs: number): Promise<AgentCommandResult['result']>
}

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
 * Each connection carries one request and gets one answer; before it, the agent may ask the caller
 * to run a `command:` reference on its terminal and read its one answer (CallerConversation). A
 * frame that is malformed, too big, of another version or out of order is refused with an error
 * frame, and that connection alone is closed.
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

/** The agent's ask the caller has not answered yet. */
interface Waiting {
  n: number
  answered: (result: AgentCommandResult['result']) => void
}

function serveConnection(socket: Socket, options: AgentServerOptions, admit: Gate): void {
  const decoder = new FrameDecoder(AGENT_MAX_REQUEST_BYTES)
  let received = false
  let finished = false
  let asked = 0
  let waiting: Waiting | undefined
  const conversation: CallerConversation = {
    runCommand: (argv, timeoutMs) =>
      new Promise((resolve) => {
        if (finished || socket.destroyed)
          return resolve({ ok: false, reason: 'the caller went away' })
        const n = asked++
        const timer = setTimeout(
          () =>
            answered({
              ok: false,
              reason: `the caller did not answer within ${Math.round(timeoutMs / 1000)} s`,
            }),
          timeoutMs,
        )
        const answered = (result: AgentCommandResult['result']) => {
          clearTimeout(timer)
          waiting = undefined
          resolve(result)
        }
        waiting = { n, answered }
        socket.write(
          encodeFrame(
            { v: AGENT_PROTOCOL_VERSION, n, runCommand: { argv: [...argv] } },
            AGENT_MAX_RESPONSE_BYTES,
          ),
        )
      }),
  }
  /** The caller's answer to the ask it was sent; anything else ends that ask as a failure. */
  const takeAnswer = (frame: unknown, to: Waiting) => {
    const parsed = agentCommandResultSchema.safeParse(frame)
    if (!parsed.success || parsed.data.n !== to.n) {
      // Paths only: the frame may hold the value.
      const fields = parsed.success
        ? ['n']
        : [...new Set(parsed.error.issues.map((issue) => issue.path.join('.')))]
      options.log.warn('agent.refused', { reason: 'invalid command result', fields })
      return to.answered({
        ok: false,
        reason: `the caller's answer does not match the protocol (${fields.join(', ') || 'the whole answer'})`,
      })
    }
    to.answered(parsed.data.result)
  }
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
  socket.on('close', () => {
    clearTimeout(timer)
    // Ctrl-C on the caller's terminal ends the caller, and the command it ran with it.
    waiting?.answered({ ok: false, reason: 'the caller stopped before the command ended' })
  })
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
      if (waiting) {
        takeAnswer(frame, waiting)
        continue
      }
      if (received) return refuse('one request per connection, and this one was already sent.')
      received = true
      clearTimeout(timer)
      void answer(frame, options, admit, conversation).then(finish)
    }
  })
}

async function answer(
  frame: unknown,
  options: AgentServerOptions,
  admit: Gate,
  conversation: CallerConversation,
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
    const value = await options.handle(request, identified, conversation)
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
