import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { awsWithMfa, startSts, totp, userWithMfa } from '../../test/fixtures/sts'
import { environmentIds } from '../../test/services'
import { onTerminal } from '../../test/terminal'
import { NO_AMBIENT_AWS } from '../../test/use-only-tool'
import { AppAgent } from '../main/agent/app-agent'
import { agentSocketPath } from '../main/agent/socket-path'
import { memoryLogger } from '../main/log'

// The app running in the tray: its agent serves the CLI, but no window is there to show the MFA
// dialog. A CLI call is answered at once (not after the dialog's two-minute time-out): exec asks
// on its terminal and sends the code, credential_process (no terminal) is refused with what to do.
// Either way the use is one entry in the audit trail, not one per try.

const ivy = userWithMfa('ivy')
const jack = userWithMfa('jack')
const printKey = [
  '--',
  process.execPath,
  '-e',
  'process.stdout.write(`key=${process.env.AWS_ACCESS_KEY_ID}\\n`)',
]

describe.skipIf(!privateKeyring)('MFA codes while the app runs in the tray', SLOW, () => {
  let sts: Awaited<ReturnType<typeof startSts>>
  let vault: Awaited<ReturnType<typeof cliVault>>
  let agent: AppAgent
  let windowShown = false
  const asked: unknown[] = []

  beforeAll(async () => {
    sts = await startSts({ identities: [ivy, jack] })
    vault = await cliVault({ windowShown: () => windowShown })
    const staging = environmentIds(vault.services).staging!
    for (const [name, user] of [
      ['ivy-aws', ivy],
      ['jack-aws', jack],
    ] as const) {
      const created = vault.services.connections.create(awsWithMfa(name, user, sts.url))
      vault.services.authorizations.applyChanges({
        grants: [{ connectionId: created.id, environmentId: staging }],
      })
    }
    vault.services.events.connect((channel, payload) => {
      if (channel === 'mfa:asked') asked.push(payload)
    })
    agent = new AppAgent({
      services: vault.services,
      socketPath: agentSocketPath({ BRIDGEKEEP_HOME: vault.home }),
      log: memoryLogger(),
    })
    expect((await agent.start()).state).toBe('serving')
  })
  afterAll(async () => {
    await agent?.stop()
    await sts?.close()
  })

  const entries = (action: 'exec' | 'credential-process', name: string) =>
    vault.services.audit
      .query({ filter: { actions: [action] } })
      .entries.filter((entry) => entry.targetName === name)

  it('credential_process is refused at once, saying how to give the code; one refused use', async () => {
    const started = Date.now()
    const result = await vault.cli(['aws', 'credential-process', 'ivy-aws', '--env', 'staging'], {
      env: NO_AMBIENT_AWS,
      timeoutMs: 60_000,
    })
    expect(result.code).not.toBe(0)
    expect(Date.now() - started).toBeLessThan(30_000)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain(
      'Connection ivy-aws needs the code of its MFA device (arn:aws:iam::123456789012:mfa/ivy) for a new session.',
    )
    expect(result.stderr).toContain('once on a terminal')
    expect(asked).toEqual([])
    expect(entries('credential-process', 'ivy-aws').map((entry) => entry.outcome)).toEqual([
      'failure',
    ])
  })

  it('exec on a terminal asks there at once and sends the code; the use is one audit entry', async () => {
    const typed = totp(jack.mfa!.secret)
    const { code: exit, screen } = await onTerminal(
      ['exec', 'jack-aws', '--env', 'staging', ...printKey],
      { BRIDGEKEEP_HOME: vault.home, ...NO_AMBIENT_AWS },
      [['MFA code: ', typed]],
    )
    expect(exit).toBe(0)
    expect(screen).toContain('Connection jack-aws needs the code of its MFA device')
    expect(screen).toContain(`key=${sts.issued.at(-1)!.accessKeyId}`)
    expect(sts.issued.at(-1)).toMatchObject({ arn: jack.arn, mfaPresent: true })
    expect(screen).not.toContain(typed)
    expect(asked).toEqual([])
    // And one use in its counts: the try that ended for want of the code is not one.
    const jackId = vault.services.connections.list().find((c) => c.name === 'jack-aws')!.id
    expect(vault.services.usage.usageFor(jackId).total).toBe(1)
    expect(entries('exec', 'jack-aws').map((entry) => [entry.outcome, entry.detail])).toEqual([
      ['success', expect.stringMatching(/^Ran node for pid \d+ .*\(sts:get-session-token\+mfa\)$/)],
    ])
  })

  it('with the window shown again, the dialog is asked as before', async () => {
    windowShown = true
    const disconnect = vault.services.events.connect((channel, payload) => {
      if (channel === 'mfa:asked')
        vault.services.mfaPrompts.cancel((payload as { requestId: string }).requestId)
    })
    try {
      const result = await vault.cli(['aws', 'credential-process', 'ivy-aws', '--env', 'staging'], {
        env: NO_AMBIENT_AWS,
        timeoutMs: 60_000,
      })
      expect(result.stderr).toContain('the dialog was cancelled in the Bridgekeep window')
      expect(asked).toEqual([expect.objectContaining({ connection: 'ivy-aws' })])
    } finally {
      disconnect()
    }
  })
})
