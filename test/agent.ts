import { spawn, type ChildProcess } from 'node:child_process'
import { createConnection } from 'node:net'
import { resolve } from 'node:path'
import type { Services } from '../src/main/services'
import { FrameDecoder } from '../src/shared/runner-protocol/framing'
import { ROOT } from './run-node'
import { environmentIds } from './services'

export interface Agent {
  child: ChildProcess
  output(): string
  /** Resolves with the exit code and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** Every agent the suite started, for the canary check at the end. */
export const started: Agent[] = []

/** Starts `bridgekeep agent` as a real process and waits until it serves (or exits). */
export function startAgent(env: Record<string, string>): Promise<Agent> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(ROOT, 'src/cli/index.ts'), 'agent'],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let output = ''
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  )
  return new Promise((resolvePromise, reject) => {
    const agent: Agent = { child, output: () => output, exited }
    started.push(agent)
    const timer = setTimeout(() => reject(new Error(`agent did not start: ${output}`)), 60_000)
    const collect = (chunk: string) => {
      output += chunk
      if (output.includes('bridgekeep agent: serving')) {
        clearTimeout(timer)
        resolvePromise(agent)
      }
    }
    child.stdout.setEncoding('utf8').on('data', collect)
    child.stderr.setEncoding('utf8').on('data', collect)
    void exited.then(() => {
      clearTimeout(timer)
      resolvePromise(agent)
    })
  })
}

/** Sends raw bytes to the agent's socket and collects the frames it answers until it closes. */
export function rawExchange(socketPath: string, ...chunks: Uint8Array[]): Promise<unknown[]> {
  return new Promise((resolvePromise, reject) => {
    const socket = createConnection(socketPath)
    const decoder = new FrameDecoder()
    const frames: unknown[] = []
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk)
    })
    socket.on('data', (chunk: Buffer) => frames.push(...decoder.push(chunk)))
    socket.on('error', reject)
    socket.on('close', () => resolvePromise(frames))
  })
}

/** An inline AWS connection `prod-aws` holding the given (canary) keys, authorized for staging. */
export function plantAwsConnection(services: Services, keyId: string, secret: string): void {
  const id = services.connections.create({
    name: 'prod-aws',
    provider: 'aws',
    authMode: 'inline',
    values: { access_key_id: keyId, secret_access_key: secret, default_region: 'eu-west-1' },
  }).id
  services.authorizations.applyChanges({
    grants: [{ connectionId: id, environmentId: environmentIds(services).staging! }],
  })
}
