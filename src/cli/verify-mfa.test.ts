import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { canary } from '../../test/fixtures/canary'
import { awsWithMfa, startSts, totp, userWithMfa } from '../../test/fixtures/sts'
import { environmentIds } from '../../test/services'
import { startAgent } from '../../test/agent'
import { NO_AMBIENT_AWS } from '../../test/use-only-tool'

// `bridgekeep verify --mfa-code` of an AWS connection whose role requires MFA: the real CLI, in
// process and through a headless agent, the real runner, and the loopback STS checking each code
// as STS does (a code is taken once).

/** One user per test: STS takes each code once, so tests must not share a device. */
const users = Object.fromEntries(
  ['alice', 'bob', 'carol', 'dave'].map((name) => [name, userWithMfa(name)]),
)
const role = {
  arn: 'arn:aws:iam::210987654321:role/needs-mfa',
  externalId: `bk-${canary.alnum(16)}`,
  requireMfa: true,
}
const code = (name: string) => totp(users[name]!.mfa!.secret)
const ASSUMED = 'arn:aws:sts::210987654321:assumed-role/needs-mfa/'

interface Row {
  name: string
  status: string
  identity?: { label: string }
  refused?: string
  notes?: string[]
}

describe.skipIf(!privateKeyring)('bridgekeep verify --mfa-code', SLOW, () => {
  let sts: Awaited<ReturnType<typeof startSts>>
  let vault: Awaited<ReturnType<typeof cliVault>>
  const outputs: string[] = []
  const env = { ...NO_AMBIENT_AWS, BRIDGEKEEP_AGENT: 'off' }
  const verify = async (args: string[], extra: Record<string, string> = {}) => {
    const result = await vault.cli(['verify', ...args, '--json'], {
      env: { ...env, ...extra },
      timeoutMs: 60_000,
    })
    outputs.push(result.stdout, result.stderr)
    return { ...result, rows: result.stdout ? (JSON.parse(result.stdout) as Row[]) : [] }
  }

  beforeAll(async () => {
    sts = await startSts({ identities: Object.values(users), roles: [role] })
    vault = await cliVault()
    const staging = environmentIds(vault.services).staging!
    // carol has two connections with the one device: one code cannot serve both.
    const connections = [...Object.keys(users), 'carol2'].map((name) =>
      awsWithMfa(`${name}-role`, users[name.replace(/\d$/, '')]!, sts.url, role),
    )
    for (const connection of connections) {
      const created = vault.services.connections.create(connection)
      vault.services.authorizations.applyChanges({
        grants: [{ connectionId: created.id, environmentId: staging }],
      })
    }
  })
  afterAll(async () => sts?.close())

  it('with a code the role is assumed; without one the base key is proved and the result says why', async () => {
    const withCode = await verify(['alice-role', '--mfa-code', code('alice')])
    expect(withCode.stderr).toBe('')
    expect(withCode.code).toBe(0)
    expect(withCode.rows).toEqual([
      expect.objectContaining({
        name: 'alice-role',
        status: 'healthy',
        identity: expect.objectContaining({ label: expect.stringContaining(ASSUMED) }),
      }),
    ])
    expect(sts.calls.filter((call) => call.action === 'AssumeRole')).toHaveLength(1)

    const without = await verify(['alice-role'])
    expect(without.code).toBe(0)
    expect(without.rows[0]).toMatchObject({
      status: 'healthy',
      identity: { label: users.alice!.arn },
      notes: expect.arrayContaining([expect.stringContaining('this check had nobody to ask')]),
    })
    expect(sts.calls.filter((call) => call.action === 'AssumeRole')).toHaveLength(1)
  })

  it('a malformed code is refused before anything runs; a wrong one fails the check', async () => {
    const calls = sts.calls.length
    const malformed = await verify(['bob-role'], { BRIDGEKEEP_MFA_CODE: '12345' })
    expect(malformed.code).not.toBe(0)
    expect(malformed.stderr).toContain(
      'The MFA code (BRIDGEKEEP_MFA_CODE) must be the 6 digits the MFA device shows now.',
    )
    expect(sts.calls.length).toBe(calls)

    const good = code('bob')
    const wrong = String((Number(good) + 1) % 1_000_000).padStart(6, '0')
    const rejected = await verify(['bob-role', '--mfa-code', wrong])
    expect(rejected.code).toBe(1)
    expect(rejected.rows[0]!.status).not.toBe('healthy')
    expect(JSON.stringify(rejected.rows)).toContain('MFA code rejected')
  })

  it('one code serves the first connection that needs it; another is refused, STS not called', async () => {
    const assumed = () => sts.calls.filter((call) => call.action === 'AssumeRole').length
    const before = assumed()
    const result = await verify(['carol-role', 'carol2-role', '--mfa-code', code('carol')])
    expect(result.code).toBe(1)
    const healthy = result.rows.filter((row) => row.status === 'healthy')
    const refused = result.rows.filter((row) => row.status === 'refused')
    expect(healthy).toHaveLength(1)
    expect(healthy[0]!.identity!.label).toContain(ASSUMED)
    expect(refused).toHaveLength(1)
    const other = refused[0]!.name
    expect(refused[0]!.refused).toContain(`Connection ${other} needs the code of its MFA device`)
    expect(refused[0]!.refused).toContain(
      `One MFA code is taken once, and it went to another connection: verify ${other} on its own with a fresh code.`,
    )
    // The spent code was not sent again: STS saw one AssumeRole with it.
    expect(assumed()).toBe(before + 1)
  })

  it('through a headless agent the code travels with the request', async () => {
    const agent = await startAgent({ BRIDGEKEEP_HOME: vault.home, ...NO_AMBIENT_AWS })
    try {
      const typed = code('dave')
      const result = await vault.cli(['verify', 'dave-role', '--mfa-code', typed, '--json'], {
        env: NO_AMBIENT_AWS,
        timeoutMs: 60_000,
      })
      outputs.push(result.stdout, result.stderr, agent.output())
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      const rows = JSON.parse(result.stdout) as Row[]
      expect(rows[0]).toMatchObject({ name: 'dave-role', status: 'healthy' })
      // The loopback STS assumes this role only with a valid code (its trust requires MFA).
      expect(rows[0]!.identity!.label).toContain(ASSUMED)
      expect(agent.output()).not.toContain(typed)
    } finally {
      agent.child.kill('SIGTERM')
      await agent.exited
    }
  })

  it('no stored secret or TOTP secret reaches an output or the audit trail', () => {
    const secrets = Object.values(users).flatMap((identity) => [
      identity.secretAccessKey,
      identity.mfa!.secret.toString('hex'),
      identity.mfa!.secret.toString('base64'),
    ])
    const audit = JSON.stringify(vault.services.audit.query({}).entries)
    for (const text of [...outputs, audit])
      for (const secret of secrets) expect(text).not.toContain(secret)
  })
})
