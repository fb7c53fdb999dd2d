import { mkdirSync, mkdtempSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { agentSocketPath } from '../main/agent/socket-path'
import { AGENT_PROTOCOL_VERSION } from '../shared/agent-answers'
import { encodeFrame, FrameDecoder } from '../shared/runner-protocol/framing'
import { askAgent } from './agent-client'

const exec = { op: 'exec', ref: 'gl', env: 'staging', program: 'node' } as const
const credentials = { provider: 'gitlab', authMode: 'inline', config: {}, secrets: {} }

/**
 * The CLI's side of the agent protocol against a stand-in agent on a real Unix socket: `script`
 * is given each frame the CLI sends and writes what the agent would.
 */
describe('askAgent', () => {
  let server: Server | undefined
  afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())))

  function agent(script: (frame: unknown, socket: Socket) => void) {
    const home = mkdtempSync(join(tmpdir(), 'bk-client-'))
    const env = { BRIDGEKEEP_HOME: home }
    const socketPath = agentSocketPath(env)
    mkdirSync(dirname(socketPath), { recursive: true })
    const received: unknown[] = []
    server = createServer((socket) => {
      const decoder = new FrameDecoder()
      socket.on('data', (chunk: Buffer) => {
        for (const frame of decoder.push(chunk)) {
          received.push(frame)
          script(frame, socket)
        }
      })
    })
    return new Promise<{ env: typeof env; received: unknown[] }>((done) =>
      server!.listen(socketPath, () => done({ env, received })),
    )
  }

  it('shows the refusal of an agent of another protocol version as it is, with what to do', async () => {
    const { env } = await agent((_frame, socket) =>
      socket.end(
        encodeFrame({
          v: AGENT_PROTOCOL_VERSION - 1,
          ok: false,
          error: {
            code: 'VALIDATION',
            message: `The agent refused the request: it speaks protocol version ${AGENT_PROTOCOL_VERSION - 1}, the request is of version ${AGENT_PROTOCOL_VERSION}.`,
            hint: 'Use the bridgekeep command of the same version as the running agent (after an upgrade, quit and reopen the app, or restart bridgekeep agent).',
          },
        }),
      ),
    )
    await expect(askAgent(env, exec)).rejects.toMatchObject({
      code: 'AGENT_UNAVAILABLE',
      message: `The agent refused the request: it speaks protocol version ${AGENT_PROTOCOL_VERSION - 1}, the request is of version ${AGENT_PROTOCOL_VERSION}.`,
      hint: expect.stringContaining('restart bridgekeep agent'),
    })
  })

  it('runs what the agent asks here only when it offered to, and answers the ask it was given', async () => {
    const ask = { v: AGENT_PROTOCOL_VERSION, n: 3, runCommand: { argv: ['pass', 'show', 'gl'] } }
    const { env, received } = await agent((frame, socket) => {
      if ((frame as { request?: unknown }).request) socket.write(encodeFrame(ask))
      else
        socket.end(
          encodeFrame({
            v: AGENT_PROTOCOL_VERSION,
            ok: true,
            value: { credentials, connection: 'gl', environment: 'staging' },
          }),
        )
    })
    await expect(askAgent(env, exec)).rejects.toMatchObject({
      code: 'AGENT_UNAVAILABLE',
      message: expect.stringContaining(
        'asked to run a command here, which this command did not offer',
      ),
    })
    const ran: string[][] = []
    const answer = await askAgent(env, { ...exec, commandsOnTerminal: true }, async (argv) => {
      ran.push(argv)
      return { ok: false, reason: 'the command pass exited with status 1' }
    })
    expect(answer).toEqual({ credentials, connection: 'gl', environment: 'staging' })
    expect(ran).toEqual([['pass', 'show', 'gl']])
    expect(received.at(-1)).toEqual({
      v: AGENT_PROTOCOL_VERSION,
      n: 3,
      result: { ok: false, reason: 'the command pass exited with status 1' },
    })
  })

  it('refuses an ask it cannot read rather than run it', async () => {
    const { env } = await agent((_frame, socket) =>
      socket.write(encodeFrame({ v: AGENT_PROTOCOL_VERSION, n: 0, runCommand: { argv: [] } })),
    )
    const ran: string[][] = []
    await expect(
      askAgent(env, { ...exec, commandsOnTerminal: true }, async (argv) => {
        ran.push(argv)
        return { ok: true, value: 'x' }
      }),
    ).rejects.toMatchObject({
      message: expect.stringContaining('asked for something this command cannot read'),
    })
    expect(ran).toEqual([])
  })
})
