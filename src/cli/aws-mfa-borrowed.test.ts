import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { canary } from '../../test/fixtures/canary'
import { awsWithMfa, startSts, totp, userWithMfa } from '../../test/fixtures/sts'
import { environmentIds } from '../../test/services'
import { NO_AMBIENT_AWS } from '../../test/use-only-tool'
import { AppAgent } from '../main/agent/app-agent'
import { agentSocketPath } from '../main/agent/socket-path'
import { memoryLogger } from '../main/log'

// Connections that borrow an AWS connection with an MFA device (an ECR registry, an S3 state
// backend): exec gets the borrowed connection's MFA session the way the AWS connection's own exec
// does: the given code, the cached session, or the app's window through its agent.

const gina = userWithMfa('gina')
const hank = userWithMfa('hank')
const role = {
  arn: 'arn:aws:iam::210987654321:role/needs-mfa',
  externalId: `bk-${canary.alnum(16)}`,
  requireMfa: true,
}
const printKey = [
  '--',
  process.execPath,
  '-e',
  'process.stdout.write(`key=${process.env.AWS_ACCESS_KEY_ID} token=${Boolean(process.env.AWS_SESSION_TOKEN)}\\n`)',
]

describe.skipIf(!privateKeyring)('borrowing an AWS connection with an MFA device', SLOW, () => {
  let sts: Awaited<ReturnType<typeof startSts>>
  let vault: Awaited<ReturnType<typeof cliVault>>
  const env = { ...NO_AMBIENT_AWS, BRIDGEKEEP_AGENT: 'off' }

  beforeAll(async () => {
    sts = await startSts({ identities: [gina, hank], roles: [role] })
    vault = await cliVault()
    const staging = environmentIds(vault.services).staging!
    const add = (input: Parameters<typeof vault.services.connections.create>[0]) => {
      const created = vault.services.connections.create(input)
      vault.services.authorizations.applyChanges({
        grants: [{ connectionId: created.id, environmentId: staging }],
      })
    }
    add(awsWithMfa('gina-aws', gina, sts.url))
    add(awsWithMfa('hank-role', hank, sts.url, role))
    const borrowing = (name: string, provider: string, values: Record<string, string>) =>
      add({ name, provider, authMode: 'inline', values })
    borrowing('registry', 'ecr', {
      region: 'eu-west-1',
      account_id: '123456789012',
      aws_connection: 'gina-aws',
    })
    borrowing('state', 's3-state', {
      bucket: 'acme-state',
      region: 'eu-west-1',
      aws_connection: 'hank-role',
    })
  })
  afterAll(async () => sts?.close())

  it('ECR exec: the code given opens the MFA session, the next exec reuses it', async () => {
    const run = (extra: string[] = []) =>
      vault.cli(['exec', 'registry', '--env', 'staging', ...extra, ...printKey], {
        env,
        timeoutMs: 60_000,
      })
    const refused = await run()
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toContain(
      'Connection gina-aws needs the code of its MFA device (arn:aws:iam::123456789012:mfa/gina)',
    )
    const first = await run(['--mfa-code', totp(gina.mfa!.secret)])
    expect(first.stderr).toBe('')
    const session = sts.issued.at(-1)!
    expect(session).toMatchObject({ arn: gina.arn, mfaPresent: true })
    expect(first.stdout).toBe(`key=${session.accessKeyId} token=true\n`)

    const calls = sts.calls.length
    const again = await run()
    expect(again.stdout).toBe(`key=${session.accessKeyId} token=true\n`)
    expect(sts.calls.length).toBe(calls)
    const audited = vault.services.audit.query({ filter: { actions: ['exec'] } }).entries
    expect(audited[0]!.detail).toBe('Ran node with gina-aws (inline)')
  })

  it("S3 state exec through the app's agent: its window is asked for the borrowed role's code", async () => {
    const services = vault.services
    const agent = new AppAgent({
      services,
      socketPath: agentSocketPath({ BRIDGEKEEP_HOME: vault.home }),
      log: memoryLogger(),
    })
    expect((await agent.start()).state).toBe('serving')
    const asked: unknown[] = []
    const disconnect = services.events.connect((channel, payload) => {
      if (channel !== 'mfa:asked') return
      asked.push(payload)
      services.mfaPrompts.answer(
        (payload as { requestId: string }).requestId,
        totp(hank.mfa!.secret),
      )
    })
    try {
      const result = await vault.cli(['exec', 'state', '--env', 'staging', ...printKey], {
        env: NO_AMBIENT_AWS,
        timeoutMs: 60_000,
      })
      expect(result.stderr).toBe('')
      expect(sts.issued.at(-1)!.arn).toContain(':assumed-role/needs-mfa/')
      expect(result.stdout).toBe(`key=${sts.issued.at(-1)!.accessKeyId} token=true\n`)
      expect(asked).toEqual([
        expect.objectContaining({ connection: 'hank-role', serial: hank.mfa!.serial }),
      ])
    } finally {
      disconnect()
      await agent.stop()
    }
  })
})
