import { createConnection } from 'node:net'
import { safeParse } from 'zod/mini'
import { readAgentToken } from '../main/agent/agent-token-file'
import { agentSocketPath } from '../main/agent/socket-path'
import { resolveDataDir } from '../main/paths'
import {
  AGENT_MAX_RESPONSE_BYTES,
  AGENT_PROTOCOL_VERSION,
  agentAskSchema,
  agentResponseSchema,
  agentTimeoutMs,
  agentValueSchema,
  type AgentValue,
} from '../shared/agent-answers'
import type { AgentCommandResult, AgentRequest, AgentRequestBody } from '../shared/agent-protocol'
import { BridgekeepError } from '../shared/errors'
import { encodeFrame, FrameDecoder } from '../shared/runner-protocol/framing'

type Env = Record<string, string | undefined>

/** BRIDGEKEEP_AGENT=off (or 0, no, false): every command opens the vault itself. */
export function agentDisabled(env: Env): boolean {
  return ['off', '0', 'no', 'false'].includes((env.BRIDGEKEEP_AGENT ?? '').trim().toLowerCase())
}

/**
 * Runs a `command:` reference the agent asks this command to run on its terminal (a request that
 * said `commandsOnTerminal`), and says what it printed or why it printed nothing.
 */
export type RunCommandHere = (argv: string[]) => Promise<AgentCommandResult['result']>

/** Nobody listens on the socket: no file, a file left by a killed agent, or not a socket. */
const NO_AGENT = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTSOCK'])

/**
 * Sends one request to the agent and returns its validated answer, or undefined when no agent
 * runs (the caller then opens the vault itself). Once an agent accepted the connection there is
 * no silent fallback: its refusal (a locked vault included) is thrown as it is, and an agent that
 * dies or stalls mid-request is a clear AGENT_UNAVAILABLE error. Before it answers, the agent may
 * ask for `command:` references to be run here (`runCommand`, given with `commandsOnTerminal`);
 * its time to answer starts again after each.
 */
export async function askAgent<K extends AgentRequestBody['op']>(
  env: Env,
  request: Extract<AgentRequestBody, { op: K }>,
  runCommand?: RunCommandHere,
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
    const arm = () =>
      setTimeout(() => settle(broke(`did not answer within ${timeoutMs / 1000} s`)), timeoutMs)
    let timer = arm()
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
      for (const frame of frames) take(frame)
    })
    /** The agent's ask: run the command here (the agent waits), then wait for its answer again. */
    const runHere = (frame: unknown) => {
      const ask = safeParse(agentAskSchema, frame)
      if (!ask.success) return settle(broke('asked for something this command cannot read'))
      if (!runCommand)
        return settle(broke('asked to run a command here, which this command did not offer'))
      clearTimeout(timer)
      const ran = runCommand(ask.data.runCommand.argv).catch((): AgentCommandResult['result'] => ({
        ok: false,
        reason: 'the command could not be run',
      }))
      void ran.then((result) => {
        if (settled) return
        socket.write(encodeFrame({ v: AGENT_PROTOCOL_VERSION, n: ask.data.n, result }))
        timer = arm()
      })
    }
    const take = (frame: unknown) => {
      if (settled) return
      if (typeof frame === 'object' && frame !== null && 'runCommand' in frame)
        return runHere(frame)
      const response = safeParse(agentResponseSchema, frame)
      if (!response.success)
        return settle(otherVersion(frame) ?? broke('sent an answer this command cannot read'))
      if (!response.data.ok) {
        const { code, message: text, hint } = response.data.error
        return settle(new BridgekeepError(code, text, hint))
      }
      const value = safeParse(valueSchema, response.data.value)
      if (!value.success) return settle(broke('sent an answer this command cannot read'))
      settle(undefined, value.data as AgentValue<K>)
    }
  })
}

/**
 * An agent of another protocol version refuses the request in its own envelope, saying which
 * version it speaks and what to do: that refusal, rather than "cannot read".
 */
function otherVersion(frame: unknown): BridgekeepError | undefined {
  const { v, ok, error } = (frame ?? {}) as { v?: unknown; ok?: unknown; error?: unknown }
  if (typeof v !== 'number' || v === AGENT_PROTOCOL_VERSION || ok !== false) return undefined
  const { message, hint } = (error ?? {}) as { message?: unknown; hint?: unknown }
  if (typeof message !== 'string' || typeof hint !== 'string') return undefined
  return new BridgekeepError('AGENT_UNAVAILABLE', message, hint)
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
