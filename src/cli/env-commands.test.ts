import { beforeAll, describe, expect, it } from 'vitest'
import { auditMark, auditSince } from '../../test/audit-parity'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { connectionInput, unlockedServices } from '../../test/services'
import type { Services } from '../main/services'

/** The same environment action through the app's IPC handler, in a new vault: its audit entries. */
async function appAudit(
  prepare: (services: Services) => string | void,
  action: (
    call: Awaited<ReturnType<typeof unlockedServices>>['call'],
    id: string,
  ) => Promise<unknown>,
) {
  const app = await unlockedServices()
  const id = prepare(app.services) ?? ''
  const mark = auditMark(app.services)
  expect(await action(app.call, id)).toMatchObject({ ok: true })
  return auditSince(app.services, mark)
}

const envByName = (services: Services, name: string) =>
  services.environments.list().find((env) => env.name === name)

describe.skipIf(!privateKeyring)('bridgekeep env add, rename, describe, protect, rm', SLOW, () => {
  let vault: Awaited<ReturnType<typeof cliVault>>

  beforeAll(async () => {
    vault = await cliVault()
  })

  it('adds an environment as the app creates one, and refuses a taken name or a bad colour', async () => {
    const mark = auditMark(vault.services)
    const added = await vault.cli(['env', 'add', 'QA Team', '--description', 'for QA'])
    expect(added).toMatchObject({
      code: 0,
      stderr: '',
      stdout: 'Created environment QA Team (slug qa-team).\n',
    })
    expect(auditSince(vault.services, mark)).toEqual(
      await appAudit(
        () => {},
        (call) => call('environments:create', { name: 'QA Team', description: 'for QA' }),
      ),
    )

    const json = await vault.cli([
      'env',
      'add',
      'Perf',
      '--protected',
      '--color',
      '#1971C2',
      '--json',
    ])
    expect(JSON.parse(json.stdout)).toMatchObject({
      name: 'Perf',
      slug: 'perf',
      color: '#1971c2',
      protected: true,
      authorizedCount: 0,
    })

    const taken = await vault.cli(['env', 'add', 'qa team'])
    expect(taken).toMatchObject({ code: 1, stdout: '' })
    expect(taken.stderr).toBe(
      'bridgekeep: Name: an environment named "QA Team" already exists.\nCorrect the highlighted fields; nothing was changed.\n',
    )
    const badColour = await vault.cli(['env', 'add', 'Blue', '--color', 'blue'])
    expect(badColour.code).toBe(1)
    expect(badColour.stderr).toContain('Colour: a hex colour such as #e03131.')
    expect(envByName(vault.services, 'Blue')).toBeUndefined()
  })

  it('renames as the app does, keeping the slug; a taken name or a missing one changes nothing', async () => {
    vault.services.environments.create({ name: 'Sandbox' })
    const mark = auditMark(vault.services)
    const renamed = await vault.cli(['env', 'rename', 'sandbox', 'Playground'])
    expect(renamed).toMatchObject({
      code: 0,
      stdout: 'Renamed Sandbox to Playground (slug sandbox).\n',
    })
    expect(auditSince(vault.services, mark)).toEqual(
      await appAudit(
        (services) => services.environments.create({ name: 'Sandbox' }).id,
        (call, id) => call('environments:update', { id, name: 'Playground' }),
      ),
    )

    const reslugged = await vault.cli([
      'env',
      'rename',
      'sandbox',
      'Play',
      '--slug',
      'play',
      '--json',
    ])
    expect(JSON.parse(reslugged.stdout)).toMatchObject({ name: 'Play', slug: 'play' })

    const taken = await vault.cli(['env', 'rename', 'play', 'Staging'])
    expect(taken).toMatchObject({ code: 1, stdout: '' })
    expect(taken.stderr).toBe(
      'bridgekeep: Name: an environment named "staging" already exists.\nCorrect the highlighted fields; nothing was changed.\n',
    )
    const takenSlug = await vault.cli(['env', 'rename', 'play', 'Other', '--slug', 'staging'])
    expect(takenSlug.stderr).toContain('Slug: "staging" is already used by "staging".')
    expect(envByName(vault.services, 'Play')).toMatchObject({ slug: 'play' })

    const missing = await vault.cli(['env', 'rename', 'nope', 'Other'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(
      /^bridgekeep: Environment nope does not exist\.\nEnvironments: development, staging, production, /,
    )
    const badSlug = await vault.cli(['env', 'rename', 'play', 'Other', '--slug', 'Not A Slug'])
    expect(badSlug.code).toBe(1)
    expect(badSlug.stderr).toContain('Slug: lowercase letters, digits and single hyphens only')
  })

  it('sets and clears a description as the app does', async () => {
    const mark = auditMark(vault.services)
    const described = await vault.cli(['env', 'describe', 'staging', 'Reset on Mondays'])
    expect(described).toMatchObject({ code: 0, stdout: 'Described staging.\n' })
    expect(envByName(vault.services, 'staging')?.description).toBe('Reset on Mondays')
    expect(auditSince(vault.services, mark)).toEqual(
      await appAudit(
        (services) => envByName(services, 'staging')!.id,
        (call, id) => call('environments:update', { id, description: 'Reset on Mondays' }),
      ),
    )
    const cleared = await vault.cli(['env', 'describe', 'staging', ''])
    expect(cleared.stdout).toBe('Cleared the description of staging.\n')
    const hostile = await vault.cli(['env', 'describe', 'staging', 'bad\u001b[2Jtext'])
    expect(hostile.code).toBe(1)
    expect(hostile.stderr).toContain('Description:')
    expect(hostile.stderr).not.toContain('\u001b')
  })

  it('protects freely, but removes protection only with --yes, as the app asks', async () => {
    vault.services.environments.create({ name: 'Guarded' })
    const mark = auditMark(vault.services)
    expect(await vault.cli(['env', 'protect', 'guarded'])).toMatchObject({
      code: 0,
      stdout: 'Protected Guarded.\n',
    })
    const unconfirmed = await vault.cli(['env', 'unprotect', 'guarded'])
    expect(unconfirmed).toMatchObject({ code: 1, stdout: '' })
    expect(unconfirmed.stderr).toBe(
      'bridgekeep: Removing the protection of Guarded means granting, revoking and deleting it no longer ask for confirmation.\nNothing was changed. Run: bridgekeep env unprotect guarded --yes\n',
    )
    expect(envByName(vault.services, 'Guarded')?.protected).toBe(true)
    const unprotected = await vault.cli(['env', 'unprotect', 'guarded', '--yes', '--json'])
    expect(JSON.parse(unprotected.stdout)).toMatchObject({ protected: false, changed: true })

    expect(auditSince(vault.services, mark)).toEqual(
      await appAudit(
        (services) => services.environments.create({ name: 'Guarded' }).id,
        async (call, id) => {
          await call('environments:setProtected', { id, protected: true })
          return call('environments:setProtected', { id, protected: false })
        },
      ),
    )
    const again = await vault.cli(['env', 'unprotect', 'guarded'])
    expect(again).toMatchObject({
      code: 0,
      stdout: 'Guarded was already unprotected; nothing changed.\n',
    })
  })

  it('deletes only with --yes, naming the authorizations that go with it; then as the app does', async () => {
    const setUp = (services: Services) => {
      const env = services.environments.create({ name: 'Doomed', protected: true })
      const ids = ['Blue AWS', 'Red AWS'].map(
        (name) => services.connections.create(connectionInput('aws', name)).id,
      )
      services.authorizations.applyChanges({
        grants: ids.map((connectionId) => ({ connectionId, environmentId: env.id })),
        confirmProtected: true,
      })
      services.environments.setDefault({
        environmentId: env.id,
        provider: 'aws',
        connectionId: ids[0]!,
      })
      return env.id
    }
    setUp(vault.services)
    const mark = auditMark(vault.services)
    const unconfirmed = await vault.cli(['env', 'rm', 'doomed'])
    expect(unconfirmed).toMatchObject({ code: 1, stdout: '' })
    expect(unconfirmed.stderr).toBe(
      'bridgekeep: Deleting environment Doomed, which is protected, cannot be undone; it removes 2 authorizations (Blue AWS, Red AWS) and 1 default.\nNothing was changed. Run: bridgekeep env rm doomed --yes\n',
    )
    expect(envByName(vault.services, 'Doomed')).toMatchObject({ authorizedCount: 2 })
    expect(auditSince(vault.services, mark)).toEqual([])

    const deleted = await vault.cli(['env', 'rm', 'doomed', '--yes'])
    expect(deleted).toMatchObject({
      code: 0,
      stdout: 'Deleted Doomed and its 2 authorizations and 1 default.\n',
    })
    expect(envByName(vault.services, 'Doomed')).toBeUndefined()
    const entries = auditSince(vault.services, mark)
    expect(entries).toEqual(
      await appAudit(setUp, (call, id) =>
        call('environments:delete', { id, force: true, confirmProtected: true }),
      ),
    )
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'environment.delete',
        detail: 'Deleted with 2 authorizations (Blue AWS, Red AWS) and 1 default',
      }),
    ])

    vault.services.environments.create({ name: 'Empty' })
    const empty = await vault.cli(['env', 'rm', 'empty'])
    expect(empty.stderr).toBe(
      'bridgekeep: Deleting environment Empty cannot be undone.\nNothing was changed. Run: bridgekeep env rm empty --yes\n',
    )
    const json = await vault.cli(['env', 'rm', 'empty', '--yes', '--json'])
    expect(JSON.parse(json.stdout)).toMatchObject({
      name: 'Empty',
      removedAuthorizations: 0,
      removedDefaults: 0,
    })
  })

  it('explains each command in --help with an example', async () => {
    for (const command of ['add', 'rename', 'describe', 'protect', 'unprotect', 'rm']) {
      const help = await vault.cli(['env', command, '--help'])
      expect(help).toMatchObject({ code: 0, stderr: '' })
      expect(help.stdout).toContain(`Usage: bridgekeep env ${command} `)
      expect(help.stdout).toMatch(new RegExp(`\\nExamples:\\n  bridgekeep env ${command} `))
    }
  })
})
