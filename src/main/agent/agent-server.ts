import { chmodSync, lstatSync, mkdirSync, statSync, unlinkSync } from 'node:fs'
import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { dirname } from 'node:path'
import {
  AGENT_MAX_REQUEST_BYTES,
  AGENT_MAX_RESPONSE_BYTES,
  AGENT_PROTOCOL_VERSION,
  AGENT_READ_TIMEOUT_MS,
  agentRequestSchema,
  type AgentRequestBody,
  type AgentResponse,
} from '../../shared/agent-protocol'
import { BridgekeepError, isBridgekeepError } from '../../shared/errors'
import { encodeFrame, FrameDecoder, FrameError } from '../../shared/runner-protocol/framing'
import type { Logger } from '../log'
import { identifyCaller, type AgentCaller } from './caller'

export type AgentHandler = (request: AgentRequestBody, caller: AgentCaller) => Promise<unknown>

export interface AgentServerOptions {
  socketPath: string
  /** The vault this agent serves: a client that means another one is refused. */
  dataDir: string
  handle: AgentHandler
  log: Logger
}

export interface AgentServer {
  readonly socketPath: string
  /** Stops accepting, drops open connections and removes the socket file. */
  close(): Promise<void>
}

/**
 * Serves the agent protocol (shared/agent-protocol.ts) on a Unix domain socket: 0600, in a 0700
 * folder of this user. A socket file left by a killed agent is removed when nobody answers on it;
 * a live agent on it makes this one refuse to start, naming the socket. Each connection carries
 * one request and gets one answer; a frame that is malformed, too big, of another version or out
 * of order is refused with an error frame, and that connection alone is closed.
 */
export async function startAgentServer(options: AgentServerOptions): Promise<AgentServer> {
  const { socketPath, log } = options
  ensureSocketFolder(dirname(socketPath))
  const open = new Set<Socket>()
  const server = createServer((socket) => {
    open.add(socket)
    socket.on('close', () => open.delete(socket))
    serveConnection(socket, options)
  })
  try {
    await listen(server, socketPath)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
    if (await agentAnswers(socketPath)) throw alreadyRunning(socketPath)
    // Nobody answers: the file of an agent that was killed. It is ours to replace.
    log.info('agent.stale-socket', { socket: socketPath })
    unlinkSync(socketPath)
    await listen(server, socketPath)
  }
  chmodSync(socketPath, 0o600)
  const ours = statSync(socketPath).ino
  log.info('agent.started', { socket: socketPath, pid: process.pid })
  return {
    socketPath,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy()
        server.close(() => resolve())
        // Only our own socket file: a successor may already have replaced a stale one.
        try {
          if (statSync(socketPath).ino === ours) unlinkSync(socketPath)
        } catch {
          // Already gone.
        }
        log.info('agent.stopped', { socket: socketPath })
      }),
  }
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (error: Error) => reject(error)
    server.once('error', failed)
    server.listen(path, () => {
      server.removeListener('error', failed)
      resolve()
    })
  })
}

/** A second agent for the same socket refuses to start, naming where the first one is. */
export function alreadyRunning(socketPath: string): BridgekeepError {
  return new BridgekeepError(
    'CONFLICT',
    `A Bridgekeep agent is already running on ${socketPath}.`,
    'Use it (bridgekeep status shows it), or stop it first: systemctl --user stop bridgekeep-agent, or send it SIGTERM.',
  )
}

/** Whether something accepts connections on `path` (a live agent), as opposed to a dead file. */
export function agentAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection(path)
    probe.once('connect', () => {
      probe.destroy()
      resolve(true)
    })
    probe.once('error', () => resolve(false))
  })
}

/**
 * The socket's folder: created 0700, or an existing one of this user tightened to 0700. A symlink,
 * a file, or a folder of someone else is refused: the folder's permissions are what keep other
 * users off the socket.
 */
function ensureSocketFolder(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 })
  const stat = lstatSync(path)
  const fix = `Remove ${path}, or set BRIDGEKEEP_HOME to a folder of your own.`
  if (!stat.isDirectory())
    throw new BridgekeepError('VALIDATION', `The agent's folder ${path} is not a folder.`, fix)
  if (typeof process.getuid === 'function' && stat.uid !== process.getuid())
    throw new BridgekeepError(
      'VALIDATION',
      `The agent's folder ${path} belongs to another user.`,
      fix,
    )
  if ((stat.mode & 0o777) !== 0o700) chmodSync(path, 0o700)
}

function serveConnection(socket: Socket, options: AgentServerOptions): void {
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
      void answer(frame, options).then(finish)
    }
  })
}

async function answer(frame: unknown, options: AgentServerOptions): Promise<AgentResponse> {
  const version = (frame as { v?: unknown } | null)?.v
  if (version !== AGENT_PROTOCOL_VERSION) {
    return failure(
      new BridgekeepError(
        'VALIDATION',
        `The agent refused the request: it speaks protocol version ${AGENT_PROTOCOL_VERSION}, the request is of ${typeof version === 'number' ? `version ${version}` : 'no version'}.`,
        'Use the bridgekeep command of the same version as the running agent.',
      ),
    )
  }
  const parsed = agentRequestSchema.safeParse(frame)
  if (!parsed.success) {
    // Paths only: a value may be anything, a secret pasted in the wrong place included.
    const where = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.')))]
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
