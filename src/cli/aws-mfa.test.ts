import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { canary } from '../../test/fixtures/canary'
import { startSts, totp, userWithMfa } from '../../test/fixtures/sts'
import { environmentIds } from '../../test/services'
import { startAgent } from '../../test/agent'
import { onTerminal } from '../../test/terminal'
import { NO_AMBIENT_AWS } from '../../test/use-only-tool'
import { AppAgent } from '../main/agent/app-agent'
import { agentSocketPath } from '../main/agent/socket-path'
import { memoryLogger } from '../main/log'

// An AWS connection with an MFA device, end to end: the real CLI on a real pseudo-terminal, the
// app's agent asking its window (the MFA prompt service) for a CLI call, and the loopback STS
// checking each code like STS does.

/** One user per test: STS takes each code once, so tests must not share a device. */
const users = Object.fromEntries(
  ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'].map((name) => [name, userWithMfa(name)]),
)
const guarded = {
  arn: 'arn:aws:iam::210987654321:role/needs-mfa',
  externalId: `bk-${canary.alnum(16)}`,
  requireMfa: true,
}
const code = (name: string) => totp(users[name]!.mfa!.secret)
const printKey = [
  '--',
  process.execPath,
  '-e',
  'process.stdout.write(`key=${process.env.AWS_ACCESS_KEY_ID} token=${Boolean(process.env.AWS_SESSION_TOKEN)} mfa=${Boolean(process.env.BRIDGEKEEP_MFA_CODE)}\\n`)',
]

describe.skipIf(!privateKeyring)('AWS connections with an MFA device', SLOW, () => {
  let sts: Awaited<ReturnType<typeof startSts>>
  let vault: Awaited<ReturnType<typeof cliVault>>
  const outputs: string[] = []
  const env = { ...NO_AMBIENT_AWS, BRIDGEKEEP_AGENT: 'off' }
  const run = async (args: string[], extra: Record<string, string> = {}) => {
    const result = await vault.cli(args, { env: { ...env, ...extra }, timeoutMs: 60_000 })
    outputs.push(result.stdout, result.stderr)
    return result
  }

  beforeAll(async () => {
    sts = await startSts({ identities: Object.values(users), roles: [guarded] })
    vault = await cliVault()
    const staging = environmentIds(vault.services).staging!
    for (const [name, identity] of Object.entries(users)) {
      const crossAccount = name === 'dave'
      const created = vault.services.connections.create({
        name: `${name}-aws`,
        provider: 'aws',
        authMode: crossAccount ? 'cross-account' : 'inline',
        values: {
          access_key_id: identity.accessKeyId,
          secret_access_key: identity.secretAccessKey,
          default_region: 'eu-west-1',
          sts_endpoint: sts.url,
          mfa_serial: identity.mfa!.serial,
          ...(crossAccount ? { role_arn: guarded.arn, external_id: guarded.externalId } : {}),
        },
      })
      vault.services.authorizations.applyChanges({
        grants: [{ connectionId: created.id, environmentId: staging }],
      })
    }
  })
  afterAll(async () => sts?.close())

  it('exec asks for the code on the terminal, then reuses the sealed session without asking', async () => {
    const typed = code('alice')
    const { code: exit, screen } = await onTerminal(
      ['exec', 'alice-aws', '--env', 'staging', ...printKey],
      { BRIDGEKEEP_HOME: vault.home, ...env },
      [['MFA code for alice-aws (device arn:aws:iam::123456789012:mfa/alice): ', typed]],
    )
    outputs.push(screen)
    expect(exit).toBe(0)
    const session = sts.issued.at(-1)!
    expect(session).toMatchObject({ arn: users.alice!.arn, mfaPresent: true })
    expect(screen).toContain(`key=${session.accessKeyId} token=true mfa=false`)
    // Typed without echo.
    expect(screen).not.toContain(typed)

    // No terminal and no code: the cached MFA session does, and STS is not called again.
    const calls = sts.calls.length
    const again = await run(['exec', 'alice-aws', '--env', 'staging', ...printKey])
    expect(again.stderr).toBe('')
    expect(again.stdout).toBe(`key=${session.accessKeyId} token=true mfa=false\n`)
    expect(sts.calls.length).toBe(calls)
    const audited = vault.services.audit.query({ filter: { actions: ['exec'] } }).entries
    expect(audited[0]!.detail).toBe('Ran node (sts:get-session-token+mfa)')
  })

  it('scripts give the code with --mfa-code or BRIDGEKEEP_MFA_CODE; bad and wrong codes are clear', async () => {
    const malformed = await run(['exec', 'bob-aws', '--env', 'staging', ...printKey], {
      BRIDGEKEEP_MFA_CODE: '12345',
    })
    expect(malformed.code).not.toBe(0)
    expect(malformed.stderr).toContain(
      'The MFA code (BRIDGEKEEP_MFA_CODE) must be the 6 digits the MFA device shows now.',
    )

    const good = code('bob')
    const wrong = String((Number(good) + 1) % 1_000_000).padStart(6, '0')
    const rejected = await run([
      'exec',
      'bob-aws',
      '--env',
      'staging',
      '--mfa-code',
      wrong,
      ...printKey,
    ])
    expect(rejected.code).not.toBe(0)
    expect(rejected.stderr).toContain('MFA code rejected')
    expect(rejected.stderr).toContain("Check the device's clock or wait for the next code")

    const accepted = await run(['exec', 'bob-aws', '--env', 'staging', ...printKey], {
      BRIDGEKEEP_MFA_CODE: good,
    })
    expect(accepted.stderr).toBe('')
    expect(accepted.stdout).toBe(`key=${sts.issued.at(-1)!.accessKeyId} token=true mfa=false\n`)
  })

  it('without a terminal or a code: exec and credential_process say how to give one', async () => {
    const calls = sts.calls.length
    const exec = await run(['exec', 'carol-aws', '--env', 'staging', ...printKey])
    expect(exec.code).not.toBe(0)
    expect(exec.stderr).toContain(
      'Connection carol-aws needs the code of its MFA device (arn:aws:iam::123456789012:mfa/carol) for a new session.',
    )
    expect(exec.stderr).toContain('--mfa-code or BRIDGEKEEP_MFA_CODE')
    const credentialProcess = await run([
      'aws',
      'credential-process',
      'carol-aws',
      '--env',
      'staging',
    ])
    expect(credentialProcess.code).not.toBe(0)
    expect(credentialProcess.stdout).toBe('')
    expect(credentialProcess.stderr).toContain('once on a terminal')
    expect(credentialProcess.stderr).toContain('open the Bridgekeep app, which asks in its window')
    expect(sts.calls.length).toBe(calls)
  })

  it("through the app's agent: the window is asked, a role requiring MFA is assumed, cancel refuses", async () => {
    const services = vault.services
    const agentEnv = { BRIDGEKEEP_HOME: vault.home }
    const agent = new AppAgent({
      services,
      socketPath: agentSocketPath(agentEnv),
      log: memoryLogger(),
    })
    expect((await agent.start()).state).toBe('serving')
    const asked: unknown[] = []
    let reply: (requestId: string) => void = () => {}
    const disconnect = services.events.connect((channel, payload) => {
      if (channel !== 'mfa:asked') return
      asked.push(payload)
      reply((payload as { requestId: string }).requestId)
    })
    try {
      reply = (id) => services.mfaPrompts.answer(id, code('dave'))
      const cli = (name: string) =>
        vault.cli(['aws', 'credential-process', name, '--env', 'staging'], {
          env: NO_AMBIENT_AWS,
          timeoutMs: 60_000,
        })
      const answered = await cli('dave-aws')
      outputs.push(answered.stdout, answered.stderr)
      expect(answered.stderr).toBe('')
      const json = JSON.parse(answered.stdout) as { AccessKeyId: string; Expiration: string }
      expect(json.AccessKeyId).toBe(sts.issued.at(-1)!.accessKeyId)
      expect(sts.issued.at(-1)!.arn).toContain(':assumed-role/needs-mfa/')
      expect(asked).toEqual([
        {
          requestId: expect.any(String),
          connection: 'dave-aws',
          serial: 'arn:aws:iam::123456789012:mfa/dave',
          purpose: 'session',
          expiresAt: expect.any(String),
        },
      ])

      reply = (id) => services.mfaPrompts.cancel(id)
      const cancelled = await cli('erin-aws')
      outputs.push(cancelled.stdout, cancelled.stderr)
      expect(cancelled.code).not.toBe(0)
      expect(cancelled.stderr).toContain(
        'No new session for erin-aws: the dialog was cancelled in the Bridgekeep window.',
      )
      const refused = services.audit.query({ filter: { actions: ['credential-process'] } }).entries
      expect(refused[0]!.outcome).toBe('failure')
    } finally {
      disconnect()
      await agent.stop()
    }
  })

  it('a headless agent has nobody to ask: the CLI asks on its terminal and sends the code', async () => {
    const agent = await startAgent({ BRIDGEKEEP_HOME: vault.home, ...NO_AMBIENT_AWS })
    try {
      const typed = code('frank')
      const { code: exit, screen } = await onTerminal(
        ['exec', 'frank-aws', '--env', 'staging', ...printKey],
        { BRIDGEKEEP_HOME: vault.home, ...NO_AMBIENT_AWS },
        [['MFA code: ', typed]],
      )
      outputs.push(screen, agent.output())
      expect(exit).toBe(0)
      expect(screen).toContain(
        'Connection frank-aws needs the code of its MFA device (arn:aws:iam::123456789012:mfa/frank) for a new session.',
      )
      expect(screen).toContain(`key=${sts.issued.at(-1)!.accessKeyId} token=true mfa=false`)
      expect(sts.issued.at(-1)).toMatchObject({ arn: users.frank!.arn, mfaPresent: true })
      expect(screen).not.toContain(typed)
      expect(agent.output()).not.toContain(typed)
      // The agent's "a code is needed" was the CLI's cue, not a refused use: one entry.
      const entries = vault.services.audit
        .query({ filter: { actions: ['exec'] } })
        .entries.filter((entry) => entry.targetName === 'frank-aws')
      expect(entries.map((entry) => entry.outcome)).toEqual(['success'])
    } finally {
      agent.child.kill('SIGTERM')
      await agent.exited
    }
  })

  it('no stored secret, TOTP secret or code reaches an output, the audit trail or the cache file', () => {
    const secrets = Object.values(users).flatMap((identity) => [
      identity.secretAccessKey,
      identity.mfa!.secret.toString('hex'),
      identity.mfa!.secret.toString('base64'),
    ])
    const audit = JSON.stringify(vault.services.audit.query({}).entries)
    const files = readdirSync(vault.home)
      .filter((name) => name.endsWith('.json'))
      .map((name) => readFileSync(join(vault.home, name), 'utf8'))
    for (const text of [...outputs, audit, ...files])
      for (const secret of secrets) expect(text).not.toContain(secret)
  })
})
