import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { dirname } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rawExchange, startAgent, started, type Agent } from '../../test/agent'
import { cliVault, privateKeyring, SLOW, type CliRun } from '../../test/cli'
import { environmentIds } from '../../test/services'
import { readAgentToken } from '../main/agent/agent-token-file'
import { agentSocketPath } from '../main/agent/socket-path'
import { AGENT_PROTOCOL_VERSION } from '../shared/agent-answers'
import { encodeFrame } from '../shared/runner-protocol/framing'

const KEY_ID = `AKIA${randomBytes(8).toString('hex').toUpperCase()}`
/** A canary: it must reach exec's child and credential_process's caller, and nothing else. */
const SECRET = `canary${randomBytes(17).toString('hex')}`

const request = (body: unknown, extra: Record<string, unknown> = {}) => ({
  v: AGENT_PROTOCOL_VERSION,
  dataDir: '',
  caller: { pid: process.pid, program: 'agent.test' },
  request: body,
  ...extra,
})

describe.skipIf(!privateKeyring)('bridgekeep agent (real processes, real socket)', SLOW, () => {
  let vault: Awaited<ReturnType<typeof cliVault>>
  let socketPath: string
  let hanging: Server
  let agent: Agent | undefined
  const env = () => ({ BRIDGEKEEP_HOME: vault.home, BRIDGEKEEP_LOG: 'debug' })
  const cli = (args: string[], run: CliRun = {}) => vault.cli(args, run)
  const inProcess = (args: string[]) => cli(args, { env: { BRIDGEKEEP_AGENT: 'off' } })
  const printEnv = [
    '--',
    process.execPath,
    '-e',
    'console.log(JSON.stringify([process.env.AWS_ACCESS_KEY_ID, process.env.AWS_SECRET_ACCESS_KEY, process.env.BRIDGEKEEP_CONNECTION, process.env.BRIDGEKEEP_ENVIRONMENT]))',
  ]
  const latest = (action: 'exec' | 'credential-process') =>
    vault.services.audit.query({ filter: { actions: [action] } }).entries[0]!

  beforeAll(async () => {
    vault = await cliVault()
    socketPath = agentSocketPath({ BRIDGEKEEP_HOME: vault.home })
    // An STS endpoint that accepts and never answers: a request the agent is still working on.
    hanging = createServer(() => {})
    await new Promise<void>((done) => hanging.listen(0, '127.0.0.1', done))
    const { port } = hanging.address() as { port: number }
    const ids = environmentIds(vault.services)
    const grant = (id: string) =>
      vault.services.authorizations.applyChanges({
        grants: [{ connectionId: id, environmentId: ids.staging! }],
      })
    grant(
      vault.services.connections.create({
        name: 'prod-aws',
        provider: 'aws',
        authMode: 'inline',
        values: { access_key_id: KEY_ID, secret_access_key: SECRET, default_region: 'eu-west-1' },
      }).id,
    )
    grant(
      vault.services.connections.create({
        name: 'slow-aws',
        provider: 'aws',
        authMode: 'cross-account',
        values: {
          access_key_id: KEY_ID,
          secret_access_key: SECRET,
          role_arn: 'arn:aws:iam::210987654321:role/deploy',
          external_id: 'ext-agent-test',
          default_region: 'eu-west-1',
          sts_endpoint: `http://127.0.0.1:${port}`,
        },
      }).id,
    )
  })

  afterAll(async () => {
    agent?.child.kill('SIGKILL')
    hanging?.closeAllConnections()
    hanging?.close()
  })

  it('serves exec and credential_process with the same output and audit actions as in-process', async () => {
    const before = {
      process: await inProcess(['aws', 'credential-process', 'prod-aws', '--env', 'staging']),
      exec: await inProcess(['exec', 'prod-aws', '--env', 'staging', ...printEnv]),
      refused: await inProcess(['exec', 'prod-aws', '--env', 'production', ...printEnv]),
    }
    const inProcessActions = [latest('credential-process'), latest('exec')]

    agent = await startAgent(env())
    expect(agent.output()).toContain(`on ${socketPath}`)
    const status = await cli(['status'])
    expect(status.stdout).toMatch(/Agent:\s+running \(pid \d+, vault unlocked/)
    expect(status.stdout).toContain(socketPath)
    expect(status.stdout).toMatch(/CLI path:\s+agent/)

    const through = {
      process: await cli(['aws', 'credential-process', 'prod-aws', '--env', 'staging']),
      exec: await cli(['exec', 'prod-aws', '--env', 'staging', ...printEnv]),
      refused: await cli(['exec', 'prod-aws', '--env', 'production', ...printEnv]),
    }
    for (const key of ['process', 'exec', 'refused'] as const) {
      expect(through[key].code, through[key].stderr).toBe(before[key].code)
      expect(through[key].stdout).toBe(before[key].stdout)
      expect(through[key].stderr).toBe(before[key].stderr)
    }
    expect(JSON.parse(through.process.stdout)).toMatchObject({
      Version: 1,
      AccessKeyId: KEY_ID,
      SecretAccessKey: SECRET,
    })
    expect(JSON.parse(through.exec.stdout)).toEqual([KEY_ID, SECRET, 'prod-aws', 'staging'])
    expect(through.refused.stderr).toContain(
      'Connection prod-aws is not authorized for environment production',
    )

    // Same actions and outcomes; through the agent the detail also names the caller.
    const agentProcess = latest('credential-process')
    expect(agentProcess.id).not.toBe(inProcessActions[0]!.id)
    expect(agentProcess.outcome).toBe('success')
    expect(agentProcess.detail).toMatch(
      /^AWS credential_process for pid \d+ \(bridgekeep, .*node.*\) \(inline\)$/,
    )
    expect(inProcessActions[0]!.detail).toBe('AWS credential_process (inline)')
    const [refusal, ran] = vault.services.audit.query({ filter: { actions: ['exec'] } }).entries
    expect(ran!.outcome).toBe('success')
    expect(ran!.detail).toMatch(/^Ran node for pid \d+ \(bridgekeep, .*\) \(inline\)$/)
    expect(refusal!.outcome).toBe('failure')
    expect(refusal!.detail).toMatch(/^Refused to run node for pid \d+/)
    expect(inProcessActions[1]!.outcome).toBe('failure')

    // The listings are the same documents either way.
    for (const args of [
      ['ls', '--json'],
      ['env', 'ls', '--json'],
      ['show', 'prod-aws', '--json'],
    ]) {
      const [direct, served] = [await inProcess(args), await cli(args)]
      expect(served.code, served.stderr).toBe(0)
      expect(JSON.parse(served.stdout)).toEqual(JSON.parse(direct.stdout))
    }
  })

  it('keeps its socket 0600 in a 0700 folder, and a second agent refuses, naming the first', async () => {
    expect(statSync(socketPath).mode & 0o777).toBe(0o600)
    expect(statSync(dirname(socketPath)).mode & 0o777).toBe(0o700)
    const second = await startAgent(env())
    expect(await second.exited).toEqual({ code: 1, signal: null })
    expect(second.output()).toContain(
      `A Bridgekeep agent is already running on ${socketPath} (pid ${agent!.child.pid}).`,
    )
    expect((await cli(['ls'])).code).toBe(0)
  })

  it('refuses malformed, oversized, out-of-order and foreign frames, and keeps serving', async () => {
    const header = new Uint8Array(4)
    new DataView(header.buffer).setUint32(0, 0xffffff)
    const junk = new Uint8Array([0, 0, 0, 5, ...new TextEncoder().encode('{nope')])
    const token = readAgentToken(vault.home)
    const valid = request({ op: 'env-ls' }, { dataDir: vault.home, token })
    const cases: [Uint8Array[], string][] = [
      [[header], 'exceeds the limit'],
      [[junk], 'is not JSON'],
      [
        [encodeFrame({ ...valid, v: 99 })],
        `protocol version ${AGENT_PROTOCOL_VERSION}, the request is of version 99`,
      ],
      [
        [encodeFrame(request({ op: 'exec', ref: SECRET }, { dataDir: vault.home, token }))],
        'request.',
      ],
      // Both frames in one chunk: the second is read before the first is answered.
      [[Buffer.concat([encodeFrame(valid), encodeFrame(valid)])], 'one request per connection'],
      [
        [encodeFrame(request({ op: 'env-ls' }, { dataDir: '/elsewhere', token }))],
        'not /elsewhere',
      ],
    ]
    for (const [chunks, expected] of cases) {
      const frames = await rawExchange(socketPath, ...chunks)
      const refusal = frames.find((frame) => (frame as { ok: boolean }).ok === false) as {
        error: { message: string }
      }
      expect(refusal?.error.message, JSON.stringify(frames)).toContain(expected)
      expect(JSON.stringify(frames)).not.toContain(SECRET)
      // Another client is still served.
      expect((await cli(['env', 'ls'])).code).toBe(0)
    }
  })

  it('answers "Bridgekeep is locked" once locked, and the CLI does not fall back to prompting', async () => {
    const locked = await cli(['lock'])
    expect(locked.stderr).toMatch(/Locked the agent \(pid \d+\)/)
    for (const args of [
      ['ls'],
      ['exec', 'prod-aws', '--env', 'staging', ...printEnv],
      ['aws', 'credential-process', 'prod-aws', '--env', 'staging'],
    ]) {
      const result = await cli(args)
      expect(result.code).toBe(1)
      expect(result.stdout).toBe('')
      expect(result.stderr).toContain('Bridgekeep is locked.')
      expect(result.stderr).toContain('bridgekeep unlock')
      expect(result.stderr).not.toContain('Vault passphrase:')
    }
    expect((await cli(['status'])).stdout).toContain('vault locked')
  })

  it('stops cleanly on SIGTERM: the socket is removed', async () => {
    agent!.child.kill('SIGTERM')
    expect(await agent!.exited).toEqual({ code: 0, signal: null })
    expect(existsSync(socketPath)).toBe(false)
    expect(agent!.output()).toContain('bridgekeep agent: stopped (SIGTERM).')
    const status = await cli(['status'])
    expect(status.stdout).toMatch(/Agent:\s+not running/)
    expect(status.stdout).toMatch(/CLI path:\s+in-process \(no agent answers\)/)
    agent = undefined
  })

  it('killed mid-request: a clear CLI error, the vault intact, and the next agent starts', async () => {
    agent = await startAgent(env())
    const reached = new Promise<void>((done) => hanging.once('connection', () => done()))
    const call = cli(['aws', 'credential-process', 'slow-aws', '--env', 'staging'])
    await reached
    agent.child.kill('SIGKILL')
    await agent.exited
    const result = await call
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain(`The Bridgekeep agent on ${socketPath}`)
    expect(result.stderr).toMatch(/stopped before it answered|broke off the connection/)
    expect(existsSync(socketPath)).toBe(true)

    // Nobody answers on the stale file: the CLI opens the vault itself, as without an agent.
    const fallback = await cli(['aws', 'credential-process', 'prod-aws', '--env', 'staging'])
    expect(fallback.code, fallback.stderr).toBe(0)
    expect(JSON.parse(fallback.stdout)).toMatchObject({ AccessKeyId: KEY_ID })
    expect((await cli(['status'])).stdout).toMatch(/CLI path:\s+in-process \(no agent answers\)/)

    expect(vault.services.audit.verify().ok).toBe(true)
    expect(vault.services.connections.list().map((c) => c.name)).toContain('prod-aws')

    // The stale file does not stop the next agent.
    agent = await startAgent(env())
    expect(agent.output()).toContain('serving')
    const served = await cli(['aws', 'credential-process', 'prod-aws', '--env', 'staging'])
    expect(served.code, served.stderr).toBe(0)
    agent.child.kill('SIGTERM')
    await agent.exited
  })

  it('never lets a canary into the agent’s output or log, or into its socket folder', async () => {
    const outputs = started.map((one) => one.output()).join('\n')
    expect(started.length).toBeGreaterThanOrEqual(4)
    expect(outputs).toContain('"event":"agent.request"')
    expect(outputs).not.toContain(SECRET)
    expect(readdirSync(dirname(socketPath)).join('\n')).not.toContain(SECRET)
  })
})
