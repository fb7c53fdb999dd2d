import { mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { AGENT_PROTOCOL_VERSION } from '../../shared/agent-answers'
import { BridgekeepError } from '../../shared/errors'
import { encodeFrame, FrameDecoder } from '../../shared/runner-protocol/framing'
import { createLogger, type LogLine } from '../log'
import type { AuditRecord } from '../services/audit/audit-service'
import { startAgentServer, type AgentHandler, type AgentServer } from './agent-server'
import { readAgentToken } from './agent-token-file'
import { describeCaller, identifyCaller } from './caller'
import { agentSocketPath } from './socket-path'

const CANARY = `canary-${Math.random().toString(36).slice(2)}`

function ask(socketPath: string, frame: unknown): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath, () => socket.write(encodeFrame(frame)))
    const decoder = new FrameDecoder()
    const frames: unknown[] = []
    socket.on('data', (chunk: Buffer) => frames.push(...decoder.push(chunk)))
    socket.on('error', reject)
    socket.on('close', () => resolve(frames))
  })
}

/**
 * Sends the request, then answers each `runCommand` the agent asks with `reply(ask)` (or closes
 * the connection when it gives undefined); collects every frame until the agent closes.
 */
function converse(
  socketPath: string,
  frame: unknown,
  reply: (ask: { n: number; runCommand: { argv: string[] } }) => unknown,
): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath, () => socket.write(encodeFrame(frame)))
    const decoder = new FrameDecoder()
    const frames: unknown[] = []
    socket.on('data', (chunk: Buffer) => {
      for (const received of decoder.push(chunk)) {
        frames.push(received)
        if (typeof received === 'object' && received !== null && 'runCommand' in received) {
          const answer = reply(received as never)
          if (answer === undefined) socket.destroy()
          else socket.write(encodeFrame(answer))
        }
      }
    })
    socket.on('error', reject)
    socket.on('close', () => resolve(frames))
  })
}

describe('the agent server', () => {
  let server: AgentServer | undefined
  const lines: LogLine[] = []
  const audited: AuditRecord[] = []
  const dataDir = mkdtempSync(join(tmpdir(), 'bk-agent-data-'))
  const start = (handle: AgentHandler, socketPath: string) =>
    startAgentServer({
      socketPath,
      dataDir,
      handle,
      log: createLogger((line) => lines.push(line)),
      audit: { record: (entry) => audited.push(entry) },
    }).then((started) => (server = started))
  const request = (body: unknown) => ({
    v: AGENT_PROTOCOL_VERSION,
    dataDir,
    token: readAgentToken(dataDir),
    caller: { pid: process.pid, program: 'test' },
    request: body,
  })

  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  it('answers a request with the caller identified, and removes its socket when closed', async () => {
    const socketPath = join(mkdtempSync(join(tmpdir(), 'bk-agent-')), 'run', 'agent.sock')
    const seen: unknown[] = []
    await start(async (body, caller) => {
      seen.push(caller)
      return body.op
    }, socketPath)
    expect(statSync(socketPath).mode & 0o777).toBe(0o600)
    expect(await ask(socketPath, request({ op: 'env-ls' }))).toEqual([
      { v: AGENT_PROTOCOL_VERSION, ok: true, value: 'env-ls' },
    ])
    expect(seen).toEqual([{ pid: process.pid, program: 'test', executable: process.execPath }])
    await server!.close()
    server = undefined
    expect(() => statSync(socketPath)).toThrow()
  })

  it('replaces a file nobody answers on (a killed agent’s socket)', async () => {
    const socketPath = join(mkdtempSync(join(tmpdir(), 'bk-agent-')), 'agent.sock')
    writeFileSync(socketPath, '')
    await start(async () => 'ok', socketPath)
    expect(statSync(socketPath).isSocket()).toBe(true)
    expect(lines.some((line) => line.event === 'agent.stale-socket')).toBe(true)
  })

  it('hides an unexpected failure’s message (it may hold a secret) and keeps BridgekeepErrors', async () => {
    const socketPath = join(mkdtempSync(join(tmpdir(), 'bk-agent-')), 'agent.sock')
    await start(async (body) => {
      if (body.op === 'ls') throw new Error(`boom ${CANARY}`)
      throw new BridgekeepError('VAULT_LOCKED', 'Bridgekeep is locked.', 'Restart it.')
    }, socketPath)
    const bug = JSON.stringify(await ask(socketPath, request({ op: 'ls', labels: [] })))
    expect(bug).toContain('The agent failed unexpectedly.')
    expect(bug).not.toContain(CANARY)
    expect(JSON.stringify(lines)).not.toContain(CANARY)
    expect(await ask(socketPath, request({ op: 'env-ls' }))).toEqual([
      {
        v: AGENT_PROTOCOL_VERSION,
        ok: false,
        error: { code: 'VAULT_LOCKED', message: 'Bridgekeep is locked.', hint: 'Restart it.' },
      },
    ])
  })

  it('refuses a request without its token before anything else: audited, logged, not handled', async () => {
    const socketPath = join(mkdtempSync(join(tmpdir(), 'bk-agent-')), 'agent.sock')
    let handled = 0
    await start(async () => ++handled, socketPath)
    const token = readAgentToken(dataDir)!
    const { token: _, ...without } = request({ op: 'env-ls' })
    for (const frame of [
      without,
      { ...without, token: CANARY },
      { ...without, token: `${token} ` },
    ]) {
      const [answer] = (await ask(socketPath, { ...frame, dataDir: '/elsewhere' })) as {
        ok: boolean
        error: { code: string; message: string }
      }[]
      expect(answer!.ok).toBe(false)
      expect(answer!.error.code).toBe('FORBIDDEN')
      expect(answer!.error.message).toContain("cannot read the agent's token")
      // Nothing about the vault reaches a stranger, not even which folder it serves.
      expect(JSON.stringify(answer)).not.toContain(dataDir)
    }
    expect(handled).toBe(0)
    expect(audited.map((entry) => entry.detail)).toEqual(
      Array(3).fill(`Refused a request without the agent's token (it claimed pid ${process.pid})`),
    )
    const refusals = lines.filter((line) => line.event === 'agent.refused')
    expect(refusals.map((line) => line.fields?.reason)).toEqual([
      'no token',
      'wrong token',
      'wrong token',
    ])
    expect(JSON.stringify(lines)).not.toContain(CANARY)
    expect(JSON.stringify(lines)).not.toContain(token)
    expect(await ask(socketPath, request({ op: 'env-ls' }))).toEqual([
      { v: AGENT_PROTOCOL_VERSION, ok: true, value: 1 },
    ])
  })

  it('asks the caller to run a command and takes its one answer, checked, on the same connection', async () => {
    const socketPath = join(mkdtempSync(join(tmpdir(), 'bk-agent-')), 'agent.sock')
    await start(async (_body, _caller, conversation) => {
      const first = await conversation.runCommand(['pass', 'show', 'db'], 60_000)
      const second = await conversation.runCommand(['op', 'read', 'x'], 60_000)
      return [first, second]
    }, socketPath)
    const frames = await converse(socketPath, request({ op: 'env-ls' }), ({ n, runCommand }) =>
      n === 0
        ? { v: AGENT_PROTOCOL_VERSION, n, result: { ok: true, value: CANARY } }
        : {
            v: AGENT_PROTOCOL_VERSION,
            n,
            result: { ok: false, reason: `${runCommand.argv[0]} exited with status 1` },
          },
    )
    expect(frames).toEqual([
      { v: AGENT_PROTOCOL_VERSION, n: 0, runCommand: { argv: ['pass', 'show', 'db'] } },
      { v: AGENT_PROTOCOL_VERSION, n: 1, runCommand: { argv: ['op', 'read', 'x'] } },
      {
        v: AGENT_PROTOCOL_VERSION,
        ok: true,
        value: [
          { ok: true, value: CANARY },
          { ok: false, reason: 'op exited with status 1' },
        ],
      },
    ])
    expect(JSON.stringify(lines)).not.toContain(CANARY)
  })

  it('an answer out of protocol, of another ask, or a caller gone: that ask fails with why, logged without the value', async () => {
    const socketPath = join(mkdtempSync(join(tmpdir(), 'bk-agent-')), 'agent.sock')
    const results: unknown[] = []
    await start(async (_body, _caller, conversation) => {
      results.push(await conversation.runCommand(['pass', 'show', 'db'], 60_000))
      return 'done'
    }, socketPath)
    const answers = [
      // A value with a stray field, of the wrong type, and an answer to another ask.
      { v: AGENT_PROTOCOL_VERSION, n: 0, result: { ok: true, value: CANARY, extra: 1 } },
      { v: AGENT_PROTOCOL_VERSION, n: 0, result: { ok: false, reason: `\u001b[2J${CANARY}` } },
      { v: AGENT_PROTOCOL_VERSION, n: 7, result: { ok: true, value: CANARY } },
      { v: AGENT_PROTOCOL_VERSION - 1, n: 0, result: { ok: true, value: CANARY } },
    ]
    for (const answer of answers) {
      const frames = await converse(socketPath, request({ op: 'env-ls' }), () => answer)
      expect(frames.at(-1)).toEqual({ v: AGENT_PROTOCOL_VERSION, ok: true, value: 'done' })
    }
    await converse(socketPath, request({ op: 'env-ls' }), () => undefined)
    await expect.poll(() => results.length).toBe(5)
    expect(results).toEqual([
      { ok: false, reason: "the caller's answer does not match the protocol (result)" },
      { ok: false, reason: "the caller's answer does not match the protocol (result.reason)" },
      { ok: false, reason: "the caller's answer does not match the protocol (n)" },
      { ok: false, reason: "the caller's answer does not match the protocol (v)" },
      { ok: false, reason: 'the caller stopped before the command ended' },
    ])
    expect(JSON.stringify(lines)).not.toContain(CANARY)
  })

  it('refuses a program name with control characters, naming the field only', async () => {
    const socketPath = join(mkdtempSync(join(tmpdir(), 'bk-agent-')), 'agent.sock')
    await start(async () => 'ok', socketPath)
    const frames = await ask(socketPath, {
      ...request({ op: 'env-ls' }),
      caller: { pid: process.pid, program: `\u001b[2J${CANARY}` },
    })
    expect(JSON.stringify(frames)).toContain('does not match the protocol (caller.program)')
    expect(JSON.stringify(frames)).not.toContain(CANARY)
  })
})

describe('where the agent listens and who called it', () => {
  it('uses the data folder named by BRIDGEKEEP_HOME, else XDG_RUNTIME_DIR', () => {
    expect(agentSocketPath({ BRIDGEKEEP_HOME: '/v', XDG_RUNTIME_DIR: '/run/user/1' })).toBe(
      '/v/agent/agent.sock',
    )
    expect(agentSocketPath({ XDG_RUNTIME_DIR: '/run/user/1', HOME: '/h' })).toBe(
      '/run/user/1/bridgekeep/agent.sock',
    )
  })

  it('names the executable only for a live process, and describes the caller for the audit', () => {
    expect(identifyCaller({ pid: 2 ** 30, program: 'bridgekeep' })).toEqual({
      pid: 2 ** 30,
      program: 'bridgekeep',
    })
    expect(describeCaller({ pid: 42, program: 'bridgekeep', executable: '/usr/bin/node' })).toBe(
      ' for pid 42 (bridgekeep, /usr/bin/node)',
    )
  })
})
