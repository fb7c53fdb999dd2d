import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { plantAwsConnection, rawExchange, startAgent, started, type Agent } from '../../test/agent'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { waitFor } from '../../test/runner'
import { agentTokenPath, readAgentToken } from '../main/agent/agent-token-file'
import { agentSocketPath } from '../main/agent/socket-path'
import { AGENT_PROTOCOL_VERSION } from '../shared/agent-answers'
import { encodeFrame } from '../shared/runner-protocol/framing'

const KEY_ID = `AKIA${randomBytes(8).toString('hex').toUpperCase()}`
/** Canaries: the connection's secret, and bytes a caller sends where a token belongs. */
const SECRET = `canary${randomBytes(17).toString('hex')}`
const SENT = `canary${randomBytes(17).toString('hex')}`

describe.skipIf(!privateKeyring)('bridgekeep agent faults (real processes)', SLOW, () => {
  let vault: Awaited<ReturnType<typeof cliVault>>
  let socketPath: string
  let winner: Agent | undefined
  /** Every token an agent published, to look for in its output afterwards. */
  const tokens: string[] = []
  const env = () => ({ BRIDGEKEEP_HOME: vault.home, BRIDGEKEEP_LOG: 'debug' })
  const exited = (agent: Agent) => agent.child.exitCode !== null || agent.child.signalCode !== null

  /** Starts two agents at once: exactly one serves, the other names it and exits 1. */
  async function race(): Promise<Agent> {
    const both = await Promise.all([startAgent(env()), startAgent(env())])
    const serving = both.filter((agent) => !exited(agent))
    expect(serving, both.map((agent) => agent.output()).join('\n---\n')).toHaveLength(1)
    const [first] = serving
    const loser = both.find((agent) => agent !== first)!
    expect(await loser.exited).toEqual({ code: 1, signal: null })
    expect(loser.output()).toContain(
      `A Bridgekeep agent is already running on ${socketPath} (pid ${first!.child.pid}).`,
    )
    // The loser left the winner's token alone: the winner serves.
    const status = await vault.cli(['status'])
    expect(status.stdout).toContain(`running (pid ${first!.child.pid}, vault unlocked`)
    tokens.push(readAgentToken(vault.home)!)
    return first!
  }

  beforeAll(async () => {
    vault = await cliVault()
    socketPath = agentSocketPath({ BRIDGEKEEP_HOME: vault.home })
    plantAwsConnection(vault.services, KEY_ID, SECRET)
  })

  afterAll(() => {
    for (const agent of started) if (!exited(agent)) agent.child.kill('SIGKILL')
  })

  it('two agents started at once: exactly one serves; after a SIGKILL, again', async () => {
    winner = await race()
    expect(statSync(agentTokenPath(vault.home)).mode & 0o777).toBe(0o600)
    winner.child.kill('SIGKILL')
    await winner.exited
    // What a killed agent leaves: its socket file and its token.
    expect(existsSync(socketPath)).toBe(true)
    winner = await race()
    const served = await vault.cli(['aws', 'credential-process', 'prod-aws', '--env', 'staging'])
    expect(served.code, served.stderr).toBe(0)
    expect(JSON.parse(served.stdout)).toMatchObject({ SecretAccessKey: SECRET })
  })

  it('refuses a wrong token without echoing it, and never lets a canary out', async () => {
    const frames = await rawExchange(
      socketPath,
      encodeFrame({
        v: AGENT_PROTOCOL_VERSION,
        dataDir: vault.home,
        token: SENT,
        caller: { pid: process.pid, program: 'agent-faults.test' },
        request: { op: 'credential-process', name: 'prod-aws', env: 'staging' },
      }),
    )
    expect(JSON.stringify(frames)).toContain("this process cannot read the agent's token")
    for (const canary of [SECRET, SENT, ...tokens])
      expect(JSON.stringify(frames)).not.toContain(canary)
    const refusal = vault.services.audit.query({ filter: { actions: ['agent.refused'] } }).entries
    expect(refusal[0]!.detail).toBe(
      `Refused a request without the agent's token (it claimed pid ${process.pid})`,
    )

    // The agents' lines are read as they come: waited for, however slowly a loaded machine runs.
    const outputs = await waitFor(() => {
      const all = started.map((agent) => agent.output()).join('\n')
      return all.includes('"event":"agent.refused"') && all
    }, 'the agent to log the refusal')
    const files = [
      agentTokenPath(vault.home),
      ...readdirSync(dirname(socketPath)).map((name) => join(dirname(socketPath), name)),
    ].filter((path) => statSync(path).isFile())
    const contents = files.map((path) => readFileSync(path, 'utf8')).join('\n')
    for (const canary of [SECRET, SENT]) {
      expect(outputs).not.toContain(canary)
      expect(contents).not.toContain(canary)
      expect(readdirSync(dirname(socketPath)).join('\n')).not.toContain(canary)
    }
    for (const token of tokens) expect(outputs).not.toContain(token)
  })

  it('a vault deleted under the agent: clear errors, status still served, no crash', async () => {
    for (const suffix of ['', '-wal', '-shm'])
      rmSync(`${join(vault.home, 'vault.db')}${suffix}`, { force: true })
    for (const args of [['ls'], ['aws', 'credential-process', 'prod-aws', '--env', 'staging']]) {
      const result = await vault.cli(args)
      expect(result.code).toBe(1)
      expect(result.stdout).toBe('')
      expect(result.stderr).toContain(
        `The vault this agent serves (${join(vault.home, 'vault.db')}) was deleted or replaced while the agent ran.`,
      )
    }
    const status = await vault.cli(['status'])
    expect(status.stdout).toMatch(/Agent:\s+running \(pid \d+, vault missing/)
    expect(exited(winner!)).toBe(false)

    // The whole data folder (its socket and token with it): the agent keeps running, unreached.
    rmSync(vault.home, { recursive: true, force: true })
    const gone = await vault.cli(['status'])
    expect(gone.stdout).toMatch(/Agent:\s+not running/)
    expect(exited(winner!)).toBe(false)
    winner!.child.kill('SIGTERM')
    expect(await winner!.exited).toEqual({ code: 0, signal: null })
  })
})
