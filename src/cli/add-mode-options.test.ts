import { beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'

/**
 * An option that the chosen auth mode does not use is refused, not silently dropped: the user who
 * gave `--capabilities` to an IAM Identity Center connection would believe it narrowed something.
 * The same rule for every AWS option and mode, on add (flags, --field, a file) and edit.
 */
describe.skipIf(!privateKeyring)('options that do not apply to the auth mode', SLOW, () => {
  let vault: Awaited<ReturnType<typeof cliVault>>
  const sso = [
    ...['--auth-mode', 'sso', '--field', 'sso_start_url=https://my-org.awsapps.com/start'],
    ...['--field', 'sso_region=eu-west-1', '--field', 'sso_account_id=123456789012'],
    ...['--field', 'sso_role_name=ReadOnly'],
  ]
  const addSso = (...more: string[]) => vault.cli(['add', 'aws', '--name', 'prod', ...sso, ...more])

  beforeAll(async () => {
    vault = await cliVault()
  })

  it('an sso connection refuses capabilities and every option of keys or roles, saying why', async () => {
    const capabilities = await addSso('--capabilities', 'eks')
    expect(capabilities.code).toBe(2)
    expect(capabilities.stderr).toContain(
      '--capabilities does not apply to auth mode sso (IAM Identity Center): an IAM Identity Center connection stores no keys or role, and its permission set decides the account, what it may do and how long its sessions last. Leave it out, or choose --auth-mode inline or runner-delegated or cross-account.',
    )
    const refused: [string[], string][] = [
      [['--field', 'capabilities=eks'], '--field capabilities does not apply'],
      [['--mfa-serial', 'arn:aws:iam::123456789012:mfa/alice'], '--mfa-serial does not apply'],
      [['--session-duration', '4h'], '--session-duration does not apply'],
      [['--runner', 'local'], '--runner does not apply'],
      [['--stack-name', 'bridgekeep-access'], '--stack-name does not apply'],
      [['--field', 'role_arn=arn:aws:iam::123456789012:role/x'], '--field role_arn does not apply'],
      [['--field', 'external_id=bk-1234'], '--field external_id does not apply'],
      [['--field', 'account_id=123456789012'], '--field account_id does not apply'],
      [['--field', 'profile=deploy'], '--field profile does not apply'],
    ]
    for (const [args, message] of refused) {
      const result = await addSso(...args)
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr).toContain(`${message} to auth mode sso`)
    }
    expect(vault.services.connections.list()).toEqual([])
    // What applies to every mode is taken.
    const fine = await addSso('--field', 'default_region=eu-central-1')
    expect(fine.code, fine.stderr).toBe(0)
  })

  it('the other modes: the field named, with the modes it is for', async () => {
    const inline = await vault.cli([
      ...['add', 'aws', '--name', 'keys', '--field', 'role_arn=arn:aws:iam::123456789012:role/x'],
    ])
    expect(inline.code).toBe(2)
    expect(inline.stderr).toContain(
      '--field role_arn does not apply to auth mode inline (Stored credentials): Role ARN is used only in cross-account. Leave it out, or choose --auth-mode cross-account.',
    )
    const delegated = await vault.cli([
      ...['add', 'aws', '--name', 'own', '--auth-mode', 'runner-delegated'],
      ...['--mfa-serial', 'arn:aws:iam::123456789012:mfa/alice'],
    ])
    expect(delegated.code).toBe(2)
    expect(delegated.stderr).toContain(
      "--mfa-serial does not apply to auth mode runner-delegated (Runner's own identity): it uses the runner machine's own identity and stores nothing of its own. Leave it out, or choose --auth-mode inline or cross-account.",
    )
  })

  it('a file names the item and the value', async () => {
    const file = `${vault.home}/prod.json`
    const { writeFileSync } = await import('node:fs')
    writeFileSync(
      file,
      JSON.stringify([
        { name: 'a', provider: 'aws', authMode: 'runner-delegated', values: {} },
        {
          name: 'b',
          provider: 'aws',
          authMode: 'sso',
          values: {
            sso_start_url: 'https://my-org.awsapps.com/start',
            sso_region: 'eu-west-1',
            sso_account_id: '123456789012',
            sso_role_name: 'ReadOnly',
            capabilities: 'eks',
          },
        },
      ]),
    )
    const result = await vault.cli(['add', '--from-file', file])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(
      `${file} #2: values.capabilities does not apply to auth mode sso`,
    )
    expect(result.stderr).toContain(
      'or set "authMode" to inline or runner-delegated or cross-account',
    )
    expect(vault.services.connections.list().map((c) => c.name)).not.toContain('a')
  })

  it('edit refuses a field the connection does not use', async () => {
    const result = await vault.cli(['edit', 'prod', '--set', 'capabilities=eks'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--set capabilities does not apply to auth mode sso')
    expect(result.stderr).toContain('bridgekeep add aws --auth-mode inline')
    const duration = await vault.cli(['edit', 'prod', '--session-duration', '2h'])
    expect(duration.code).toBe(2)
    expect(duration.stderr).toContain('--session-duration does not apply to auth mode sso')
  })
})
