import { createConnection } from 'node:net'
import { safeParse } from 'zod/mini'
import { readAgentToken } from '../main/agent/agent-token-file'
import { agentSocketPath } from '../main/agent/socket-path'
import { resolveDataDir } from '../main/paths'
import {
  AGENT_MAX_RESPONSE_BYTES,
  AGENT_PROTOCOL_VERSION,
  agentResponseSchema,
  agentTimeoutMs,
  agentValueSchema,
  type AgentValue,
} from '../shared/agent-answers'
import type { AgentRequest, AgentRequestBody } from '../shared/agent-protocol'
import { BridgekeepError } from '../shared/errors'
import { encodeFrame, FrameDecoder } from '../shared/runner-protocol/framing'

type Env = Record<string, string | undefined>

/** BRIDGEKEEP_AGENT=off (or 0, no, false): every command opens the vault itself. */
export function agentDisabled(env: Env): boolean {
  return ['off', '0', 'no', 'false'].includes((env.BRIDGEKEEP_AGENT ?? '').trim().toLowerCase())
}

/** Nobody listens on the socket: no file, a file left by a killed agent, or not a socket. */
const NO_AGENT = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTSOCK'])

/**
 * Sends one request to the agent and returns its validated answer, or undefined when no agent
 * runs (the caller then opens the vault itself). Once an agent accepted the connection there is
 * no silent fallback: its refusal (a locked vault included) is thrown as it is, and an agent that
 * dies or stalls mid-request is a clear AGENT_UNAVAILABLE error.
 */
export async function askAgent<K extends AgentRequestBody['op']>(
  env: Env,
  request: Extract<AgentRequestBody, { op: K }>,
): Promise<AgentValue<K> | undefined> {
  const valueSchema = await agentValueSchema(request.op)
  const socketPath = agentSocketPath(env)
  const dataDir = resolveDataDir(env)
  // Read once connected (the agent wrote it before it listened). Unreadable (another user): sent
  // empty, and the agent says why it refuses.
  const message = (): AgentRequest => ({
    v: AGENT_PROTOCOL_VERSION,
    dataDir,
    token: readAgentToken(dataDir) ?? '',
    caller: { pid: process.pid, program: 'bridgekeep' },
    request,
  })
  const broke = (what: string) =>
    new BridgekeepError(
      'AGENT_UNAVAILABLE',
      `The Bridgekeep agent on ${socketPath} ${what}.`,
      'Check it with bridgekeep status and start it again (bridgekeep agent), or set BRIDGEKEEP_AGENT=off to open the vault directly.',
    )
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath)
    const decoder = new FrameDecoder(AGENT_MAX_RESPONSE_BYTES)
    let connected = false
    let settled = false
    const settle = (error: Error | undefined, value?: AgentValue<K>) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      if (error) reject(error)
      else resolve(value)
    }
    const timeoutMs = agentTimeoutMs(request.op)
    const timer = setTimeout(
      () => settle(broke(`did not answer within ${timeoutMs / 1000} s`)),
      timeoutMs,
    )
    socket.once('connect', () => {
      connected = true
      socket.write(encodeFrame(message()))
    })
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (!connected && NO_AGENT.has(error.code ?? '')) return settle(undefined, undefined)
      settle(
        connected
          ? broke('broke off the connection mid-request')
          : broke(`cannot be reached (${error.code ?? 'error'})`),
      )
    })
    socket.on('close', () => settle(broke('stopped before it answered')))
    socket.on('data', (chunk: Buffer) => {
      let frames: unknown[]
      try {
        frames = decoder.push(chunk)
      } catch {
        return settle(broke('sent an answer that is not a valid frame'))
      }
      if (frames.length === 0) return
      const response = safeParse(agentResponseSchema, frames[0])
      if (!response.success) return settle(broke('sent an answer this command cannot read'))
      if (!response.data.ok) {
        const { code, message: text, hint } = response.data.error
        return settle(new BridgekeepError(code, text, hint))
      }
      const value = safeParse(valueSchema, response.data.value)
      if (!value.success) return settle(broke('sent an answer this command cannot read'))
      settle(undefined, value.data as AgentValue<K>)
    })
  })
}

/**
 * Whether something answers on the agent's socket (bridgekeep agent, or the app's own agent),
 * without asking it anything: for commands that must not run while a process holds the vault.
 */
export function agentListening(env: Env): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(agentSocketPath(env))
    const done = (listening: boolean) => {
      socket.destroy()
      resolve(listening)
    }
    socket.setTimeout(2000, () => done(true))
    socket.once('connect', () => done(true))
    socket.once('error', (error: NodeJS.ErrnoException) => done(!NO_AGENT.has(error.code ?? '')))
  })
}
