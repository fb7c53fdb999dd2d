import { randomBytes } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rawExchange, startAgent, type Agent } from '../../test/agent'
import { cliVault, privateKeyring, SLOW, type CliResult } from '../../test/cli'
import { readAgentToken } from '../main/agent/agent-token-file'
import { agentSocketPath } from '../main/agent/socket-path'
import { AGENT_PROTOCOL_VERSION } from '../shared/agent-answers'
import { encodeFrame } from '../shared/runner-protocol/framing'

type CliVault = Awaited<ReturnType<typeof cliVault>>

const unlocks = (vault: CliVault) =>
  vault.services.audit
    .query({ filter: { actions: ['vault.unlock'] } })
    .entries.map((entry) => ({ detail: entry.detail, outcome: entry.outcome }))

describe.skipIf(!privateKeyring)(
  'bridgekeep unlock: a passphrase vault served by an agent',
  SLOW,
  () => {
    const passphrase = `canary ${randomBytes(12).toString('hex')} staple`
    const wrong = `wrongcanary ${randomBytes(12).toString('hex')}`
    const files = mkdtempSync(join(tmpdir(), 'bk-unlock-'))
    const right = join(files, 'right')
    const wrongFile = join(files, 'wrong')
    const empty = join(files, 'empty')
    let vault: CliVault
    let agent: Agent
    const results: CliResult[] = []
    const cli = async (args: string[], env: Record<string, string> = {}) => {
      const result = await vault.cli(args, { env })
      results.push(result)
      return result
    }

    beforeAll(async () => {
      vault = await cliVault({ passphrase })
      writeFileSync(right, `${passphrase}\n`, { mode: 0o600 })
      writeFileSync(wrongFile, `${wrong}\n`, { mode: 0o600 })
      writeFileSync(empty, '', { mode: 0o600 })
      // The headless agent reads the same file at its start.
      agent = await startAgent({
        BRIDGEKEEP_HOME: vault.home,
        BRIDGEKEEP_PASSPHRASE_FILE: right,
        BRIDGEKEEP_LOG: 'debug',
      })
    })

    afterAll(async () => {
      agent?.child.kill('SIGTERM')
      await agent?.exited
    })

    it('status shows the vault unlocked in the agent, then locked after bridgekeep lock', async () => {
      const open = JSON.parse((await cli(['status', '--json'])).stdout)
      expect(open.vault).toMatchObject({ state: 'unlocked', unlockMethod: 'passphrase' })
      expect((await cli(['status'])).stdout).toMatch(
        /Vault:\s+unlocked in the agent \(passphrase\)/,
      )
      expect((await cli(['lock'])).code).toBe(0)
      const text = (await cli(['status'])).stdout
      expect(text).toMatch(/Vault:\s+locked \(passphrase\): bridgekeep unlock unlocks the agent/)
      const refused = await cli(['env', 'ls'])
      expect(refused.code).toBe(1)
      expect(refused.stderr).toContain('Bridgekeep is locked.')
      expect(refused.stderr).toContain('bridgekeep unlock')
    })

    it('refuses without a passphrase source, an empty file, or a wrong passphrase; stays locked', async () => {
      const before = unlocks(vault).length
      const none = await cli(['unlock'])
      expect(none.code).toBe(1)
      expect(none.stderr).toContain('there is no terminal to ask for it')
      expect(none.stderr).toContain('BRIDGEKEEP_PASSPHRASE_FILE')

      const blank = await cli(['unlock'], { BRIDGEKEEP_PASSPHRASE_FILE: empty })
      expect(blank.code).toBe(1)
      expect(blank.stderr).toContain('is empty')
      // Neither reached the agent: nothing to audit.
      expect(unlocks(vault)).toHaveLength(before)

      const mistaken = await cli(['unlock'], { BRIDGEKEEP_PASSPHRASE_FILE: wrongFile })
      expect(mistaken.code).toBe(1)
      expect(mistaken.stderr).toContain('That passphrase does not open this vault.')
      expect(unlocks(vault)[0]).toEqual({
        detail: 'With passphrase, from the CLI; WRONG_PASSPHRASE',
        outcome: 'failure',
      })
      expect(JSON.parse((await cli(['status', '--json'])).stdout).vault.state).toBe('locked')
    })

    it('a request whose passphrase breaks the protocol is refused, naming the field only', async () => {
      const token = readAgentToken(vault.home)
      const oversized = `${wrong}${'x'.repeat(1100)}`
      const frames = await rawExchange(
        agentSocketPath({ BRIDGEKEEP_HOME: vault.home }),
        encodeFrame({
          v: AGENT_PROTOCOL_VERSION,
          dataDir: vault.home,
          token,
          caller: { pid: process.pid, program: 'unlock.test' },
          request: { op: 'unlock', passphrase: oversized },
        }),
      )
      expect(JSON.stringify(frames)).toContain('request.passphrase')
      expect(JSON.stringify(frames)).not.toContain(wrong)
    })

    it('unlocks the agent with the passphrase from BRIDGEKEEP_PASSPHRASE_FILE, audited', async () => {
      const unlocked = await cli(['unlock'], { BRIDGEKEEP_PASSPHRASE_FILE: right })
      expect(unlocked).toMatchObject({ code: 0, stdout: '' })
      expect(unlocked.stderr).toBe(`Unlocked the agent (pid ${agent.child.pid}).\n`)
      expect(unlocks(vault)[0]).toEqual({
        detail: 'With passphrase, from the CLI',
        outcome: 'success',
      })
      expect((await cli(['env', 'ls'])).code).toBe(0)
      const again = await cli(['unlock'])
      expect(again.stderr).toBe(`The agent (pid ${agent.child.pid}) is already unlocked.\n`)
    })

    it('never shows a passphrase in any output or the agent log', () => {
      const everything = results.map((result) => result.stdout + result.stderr).join('\n')
      for (const text of [everything, agent.output()]) {
        expect(text).not.toContain(passphrase)
        expect(text).not.toContain(wrong)
      }
      // The log did see the requests (so the check above looked at something).
      expect(agent.output()).toContain('"op":"unlock"')
    })
  },
)

describe.skipIf(!privateKeyring)('bridgekeep unlock: a keychain vault, and no agent', SLOW, () => {
  it('unlocks a locked agent from the keychain; says there is nothing to unlock without one', async () => {
    const vault = await cliVault()
    const agent = await startAgent({ BRIDGEKEEP_HOME: vault.home })
    try {
      expect((await vault.cli(['lock'])).code).toBe(0)
      const unlocked = await vault.cli(['unlock'])
      expect(unlocked.code).toBe(0)
      expect(unlocked.stderr).toBe(`Unlocked the agent (pid ${agent.child.pid}).\n`)
      expect(unlocks(vault)[0]).toEqual({
        detail: 'With keychain, from the CLI',
        outcome: 'success',
      })
      const status = JSON.parse((await vault.cli(['status', '--json'])).stdout)
      expect(status.vault).toMatchObject({ state: 'unlocked', unlockMethod: 'keychain' })
    } finally {
      agent.child.kill('SIGTERM')
      await agent.exited
    }
    const none = await vault.cli(['unlock'])
    expect(none).toMatchObject({ code: 0, stdout: '' })
    expect(none.stderr).toContain('No agent is running: nothing to unlock')
    expect(JSON.parse((await vault.cli(['status', '--json'])).stdout).vault.state).toBe('locked')
  })
})
