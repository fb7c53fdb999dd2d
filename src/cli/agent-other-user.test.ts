import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { plantAwsConnection, startAgent, type Agent } from '../../test/agent'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { agentTokenPath } from '../main/agent/agent-token-file'
import { agentSocketPath } from '../main/agent/socket-path'
import { AGENT_PROTOCOL_VERSION } from '../shared/agent-answers'

const OTHER = 'bkother'
const KEY_ID = `AKIA${randomBytes(8).toString('hex').toUpperCase()}`
const SECRET = `canary${randomBytes(17).toString('hex')}`

/** Why the suite cannot run here, or undefined: it needs root to act as a second OS user. */
function otherUserUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'needs Linux (runuser, /proc)'
  if (process.getuid?.() !== 0) return 'needs root, to run a client as a second OS user'
  if (!privateKeyring) return 'needs the private Secret Service (scripts/with-secret-service.sh)'
  if (spawnSync('id', ['-u', OTHER]).status === 0) return undefined
  const made = spawnSync('useradd', ['-M', '-s', '/usr/sbin/nologin', OTHER], { encoding: 'utf8' })
  return made.status === 0 ? undefined : `cannot create the user ${OTHER}: ${made.stderr.trim()}`
}
const unavailable = otherUserUnavailable()
if (unavailable) console.warn(`agent-other-user.test.ts skipped: ${unavailable}`)

/**
 * A client of its own (plain Node, no project code: the other user may not read the checkout)
 * that tries the token file, connects, sends one frame and prints what happened as JSON.
 */
const CLIENT = `
const fs = require('node:fs'), net = require('node:net')
const [socketPath, tokenPath, requestJson] = process.argv.slice(2)
let tokenRead = 'read'
try { fs.readFileSync(tokenPath) } catch (e) { tokenRead = e.code }
const request = JSON.parse(requestJson)
request.caller.pid = process.pid
const body = Buffer.from(JSON.stringify(request))
const header = Buffer.alloc(4)
header.writeUInt32BE(body.length)
let data = Buffer.alloc(0)
const done = (result) => { process.stdout.write(JSON.stringify({ tokenRead, uid: process.getuid(), ...result })); process.exit(0) }
const socket = net.createConnection(socketPath, () => socket.write(Buffer.concat([header, body])))
socket.on('data', (chunk) => { data = Buffer.concat([data, chunk]) })
socket.on('error', (error) => done({ connectError: error.code }))
socket.on('close', () => done({ response: data.length >= 4 ? JSON.parse(data.subarray(4, 4 + data.readUInt32BE(0)).toString()) : null }))
`

describe.skipIf(unavailable !== undefined)(
  'the agent and a second OS user (runuser, real socket)',
  SLOW,
  () => {
    let vault: Awaited<ReturnType<typeof cliVault>>
    let agent: Agent
    let socketPath: string
    let client: string
    let runtime: string

    /** Runs the client as the other user with `request`, and returns what it printed. */
    const asOther = (request: Record<string, unknown>) => {
      const result = spawnSync(
        'runuser',
        [
          '-u',
          OTHER,
          '--',
          process.execPath,
          client,
          socketPath,
          agentTokenPath(vault.home),
          JSON.stringify(request),
        ],
        { encoding: 'utf8', timeout: 20_000 },
      )
      expect(result.status, result.stderr).toBe(0)
      return JSON.parse(result.stdout) as {
        tokenRead: string
        uid: number
        connectError?: string
        response?: { ok: boolean; error?: { code: string; message: string } }
      }
    }
    const useRequest = (token?: string) => ({
      v: AGENT_PROTOCOL_VERSION,
      dataDir: vault.home,
      ...(token === undefined ? {} : { token }),
      caller: { pid: 1, program: 'bridgekeep' },
      request: { op: 'credential-process', name: 'prod-aws', env: 'staging' },
    })
    const entries = (action: 'agent.refused' | 'credential-process') =>
      vault.services.audit.query({ filter: { actions: [action] } }).entries

    beforeAll(async () => {
      // The data folder stays private (in the test run's folder); the socket lives apart from it,
      // in an XDG_RUNTIME_DIR the other user can traverse, as a per-user runtime folder may be.
      const root = mkdtempSync(join(tmpdir(), 'bk-other-'))
      chmodSync(root, 0o711)
      runtime = join(root, 'run')
      mkdirSync(runtime, { mode: 0o711 })
      chmodSync(runtime, 0o711)
      const tools = join(root, 'tools')
      mkdirSync(tools, { mode: 0o755 })
      chmodSync(tools, 0o755)
      client = join(tools, 'client.cjs')
      writeFileSync(client, CLIENT, { mode: 0o644 })

      const config = join(root, 'config')
      mkdirSync(config, { mode: 0o700 })
      vault = await cliVault({ home: join(config, 'Bridgekeep') })
      plantAwsConnection(vault.services, KEY_ID, SECRET)
      const env = { XDG_CONFIG_HOME: config, XDG_RUNTIME_DIR: runtime, BRIDGEKEEP_LOG: 'debug' }
      socketPath = agentSocketPath(env)
      expect(dirname(socketPath)).toBe(join(runtime, 'bridgekeep'))
      agent = await startAgent(env)
      expect(agent.output()).toContain('serving')
    })

    afterAll(async () => {
      agent?.child.kill('SIGTERM')
      await agent?.exited
    })

    it('cannot even connect while the socket’s folder is 0700', () => {
      const result = asOther(useRequest())
      expect(result.uid).not.toBe(0)
      expect(result.connectError).toBe('EACCES')
      expect(entries('agent.refused')).toEqual([])
    })

    it('with the folder and socket loosened, is refused without the token, audited, and served nothing', async () => {
      chmodSync(dirname(socketPath), 0o777)
      chmodSync(socketPath, 0o666)
      const uses = entries('credential-process').length
      const wrong = randomBytes(32).toString('hex')
      for (const token of [undefined, wrong]) {
        const result = asOther(useRequest(token))
        expect(result.tokenRead).toBe('EACCES')
        expect(result.connectError).toBeUndefined()
        expect(result.response?.ok).toBe(false)
        expect(result.response?.error?.code).toBe('FORBIDDEN')
        expect(result.response?.error?.message).toContain(
          "this process cannot read the agent's token",
        )
        expect(JSON.stringify(result)).not.toContain(SECRET)
        expect(JSON.stringify(result)).not.toContain(KEY_ID)
      }
      const otherUid = Number(spawnSync('id', ['-u', OTHER], { encoding: 'utf8' }).stdout.trim())
      const refusals = entries('agent.refused')
      expect(refusals).toHaveLength(2)
      for (const refusal of refusals) {
        expect(refusal.outcome).toBe('failure')
        expect(refusal.detail).toMatch(
          new RegExp(
            `^Refused a request without the agent's token \\(it claimed pid \\d+, a process of another user \\(uid ${otherUid}\\)\\)$`,
          ),
        )
      }
      expect(entries('credential-process')).toHaveLength(uses)
      // Logged, without the token it was sent (the agent's output is read once this test yields).
      for (let waited = 0; !agent.output().includes('agent.refused') && waited < 5000; waited += 50)
        await new Promise((done) => setTimeout(done, 50))
      expect(agent.output()).toContain('"event":"agent.refused"')
      expect(agent.output()).toContain(`"otherUserUid":${otherUid}`)
      expect(agent.output()).not.toContain(wrong)
    })

    it('still serves its own user meanwhile', async () => {
      const served = await vault.cli(
        ['aws', 'credential-process', 'prod-aws', '--env', 'staging'],
        {
          env: {
            BRIDGEKEEP_HOME: undefined,
            XDG_CONFIG_HOME: dirname(vault.home),
            XDG_RUNTIME_DIR: runtime,
          },
        },
      )
      expect(served.code, served.stderr).toBe(0)
      expect(JSON.parse(served.stdout)).toMatchObject({ SecretAccessKey: SECRET })
      expect(entries('credential-process')[0]!.detail).toMatch(/ for pid \d+ \(bridgekeep/)
    })
  },
)
