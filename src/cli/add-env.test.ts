import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { auditMark, auditSince } from '../../test/audit-parity'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { environmentIds, unlockedServices } from '../../test/services'

const TOKEN = `ghp_${'k7Q2'.repeat(9)}`

describe.skipIf(!privateKeyring)('bridgekeep add --env and environments: in a file', SLOW, () => {
  let vault: Awaited<ReturnType<typeof cliVault>>
  const envsOf = (slug: string) => {
    const connection = vault.services.connections.list().find((c) => c.slug === slug)
    if (!connection) return undefined
    const names = new Map(vault.services.environments.list().map((env) => [env.id, env.name]))
    return vault.services.authorizations
      .authorizationsFor(connection.id)
      .environmentIds.map((id) => names.get(id))
  }

  beforeAll(async () => {
    vault = await cliVault()
  })

  it('adds and authorizes in one go, audited as the app does it', async () => {
    const mark = auditMark(vault.services)
    const added = await vault.cli(
      [
        'add',
        'github',
        '--name',
        'ci-gh',
        '--field',
        'token=@-',
        '--env',
        'development',
        '-e',
        'Staging',
      ],
      { input: TOKEN },
    )
    expect(added).toMatchObject({
      code: 0,
      stdout: 'Added ci-gh (github, inline) as ci-gh, authorized for development, staging.\n',
      stderr: '',
    })
    expect(envsOf('ci-gh')).toEqual(['development', 'staging'])

    // The app's form with the same two environments writes the same entries.
    const app = await unlockedServices()
    const appMark = auditMark(app.services)
    const env = environmentIds(app.services)
    expect(
      await app.call('connections:create', {
        name: 'ci-gh',
        provider: 'github',
        authMode: 'inline',
        values: { token: TOKEN },
        environmentIds: [env.development, env.staging],
      }),
    ).toMatchObject({ ok: true })
    expect(auditSince(vault.services, mark)).toEqual(auditSince(app.services, appMark))
    expect(auditSince(vault.services, mark).map((entry) => entry.action)).toEqual([
      'connection.create',
      'authorization.change',
    ])
  })

  it('a protected environment needs --yes; without it nothing at all is added', async () => {
    const args = [
      'add',
      'github',
      '--name',
      'prod-gh',
      '--field',
      'token=@-',
      '--env',
      'production',
    ]
    const refused = await vault.cli(args, { input: TOKEN })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(
      'These changes touch protected environments. production: grant prod-gh. Nothing was added.',
    )
    expect(refused.stderr).toContain('bridgekeep add <the same arguments> --yes')
    expect(envsOf('prod-gh')).toBeUndefined()

    const confirmed = await vault.cli([...args, '--yes'], { input: TOKEN })
    expect(confirmed.code).toBe(0)
    expect(envsOf('prod-gh')).toEqual(['production'])
  })

  it('--from-file takes environments: per connection, all or nothing; a bad one is explained', async () => {
    const file = join(vault.home, 'with-envs.yaml')
    writeFileSync(
      file,
      [
        '- name: gh-one',
        '  provider: github',
        '  environments: [development]',
        `  values: { token: ${TOKEN} }`,
        '- name: gh-two',
        '  provider: github',
        '  environments: [staging, no-such-env]',
        `  values: { token: ${TOKEN} }`,
      ].join('\n'),
    )
    const missing = await vault.cli(['add', '--from-file', file])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('no-such-env')
    expect(envsOf('gh-one')).toBeUndefined()

    writeFileSync(file, readFileSync(file, 'utf8').replace(', no-such-env', ''))
    const added = await vault.cli(['add', '--from-file', file])
    expect(added.code).toBe(0)
    expect(envsOf('gh-one')).toEqual(['development'])
    expect(envsOf('gh-two')).toEqual(['staging'])

    writeFileSync(
      file,
      `name: gh-three\nprovider: github\nenvironments: 3\nvalues: { token: ${TOKEN} }\n`,
    )
    const bad = await vault.cli(['add', '--from-file', file])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('"environments" must be a list of environment names or slugs.')
  })
})
