import { beforeAll, describe, expect, it } from 'vitest'
import { auditMark, auditSince } from '../../test/audit-parity'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { connectionInput, unlockedServices } from '../../test/services'

describe.skipIf(!privateKeyring)('bridgekeep rm, restore, trash ls, purge', SLOW, () => {
  let vault: Awaited<ReturnType<typeof cliVault>>
  const create = (provider: string, name: string) =>
    vault.services.connections.create(connectionInput(provider, name))
  const trashed = () => vault.services.connections.list({ trash: true }).map((c) => c.slug)
  const live = () => vault.services.connections.list().map((c) => c.slug)

  beforeAll(async () => {
    vault = await cliVault()
  })

  it('moves a connection to the trash, auditing it as the app does', async () => {
    create('aws', 'Old AWS')
    const mark = auditMark(vault.services)
    const result = await vault.cli(['rm', 'old aws'])
    expect(result).toMatchObject({
      code: 0,
      stderr: '',
      stdout: 'Moved Old AWS to the trash. Restore it with: bridgekeep restore old-aws\n',
    })
    expect(trashed()).toContain('old-aws')
    expect(live()).not.toContain('old-aws')

    const app = await unlockedServices()
    const twin = app.services.connections.create(connectionInput('aws', 'Old AWS'))
    const appMark = auditMark(app.services)
    expect(await app.call('connections:trash', { id: twin.id })).toMatchObject({ ok: true })
    const entries = auditSince(vault.services, mark)
    expect(entries).toEqual(auditSince(app.services, appMark))
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'connection.trash',
        targetName: 'Old AWS',
        detail: 'Moved to the trash (aws)',
      }),
    ])
  })

  it('prints JSON, and lists the trash as a table and as JSON', async () => {
    create('github', 'Old GitHub')
    const json = await vault.cli(['rm', 'old-github', '--json'])
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout)).toMatchObject({
      slug: 'old-github',
      deletedAt: expect.any(String),
    })

    const table = await vault.cli(['trash', 'ls'])
    expect(table.code).toBe(0)
    const lines = table.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^NAME\s+SLUG\s+PROVIDER\s+TRASHED\s+PURGED ON$/)
    expect(lines[1]).toMatch(/^Old GitHub\s+old-github\s+github\s+\d{4}-\d\d-\d\d \d\d:\d\d/)

    const listed = JSON.parse((await vault.cli(['trash', 'ls', '--json'])).stdout) as {
      slug: string
      deletedAt: string
      purgeAt: string
    }[]
    const row = listed.find((c) => c.slug === 'old-github')!
    expect(Date.parse(row.purgeAt) - Date.parse(row.deletedAt)).toBe(30 * 86_400_000)
  })

  it('refuses a missing, an ambiguous or an already trashed reference, changing nothing', async () => {
    const missing = await vault.cli(['rm', 'nope'])
    expect(missing).toMatchObject({ code: 1, stdout: '' })
    expect(missing.stderr).toBe(
      "bridgekeep: Connection nope does not exist.\nCheck the name or slug (the connection list and 'bridgekeep ls' show both).\n",
    )

    // By name: a reference that is one's slug would name that one.
    create('aws', 'Twin Box')
    create('gcp', 'Twin Box')
    const before = live()
    const ambiguous = await vault.cli(['rm', 'twin box'])
    expect(ambiguous.code).toBe(1)
    // Listed by name, then by id: either order.
    expect(ambiguous.stderr).toMatch(
      /^bridgekeep: Several connections are named twin box: Twin Box \(twin-box(-2)?\), Twin Box \(twin-box(-2)?\)\nUse the slug of the one you mean\.\n$/,
    )
    expect(ambiguous.stderr).toContain('(twin-box-2)')
    expect(live()).toEqual(before)

    const again = await vault.cli(['rm', 'old-aws'])
    expect(again.code).toBe(1)
    expect(again.stderr).toBe(
      "bridgekeep: Connection Old AWS is in the trash.\nRestore it from the trash to use it again: in the app, or with 'bridgekeep restore'.\n",
    )

    const noArgument = await vault.cli(['rm'])
    expect(noArgument.code).toBe(2)
    expect(noArgument.stderr).toContain('missing argument: <conn>')
  })

  it('restores from the trash as the app does; a live one is left as it is', async () => {
    create('postgres', 'Old DB')
    await vault.cli(['rm', 'old-db'])
    const mark = auditMark(vault.services)
    const restored = await vault.cli(['restore', 'Old DB'])
    expect(restored).toMatchObject({ code: 0, stdout: 'Restored Old DB from the trash.\n' })
    expect(live()).toContain('old-db')

    const app = await unlockedServices()
    const twin = app.services.connections.create(connectionInput('postgres', 'Old DB'))
    app.services.connections.trash(twin.id)
    const appMark = auditMark(app.services)
    await app.call('connections:restore', { id: twin.id })
    expect(auditSince(vault.services, mark)).toEqual(auditSince(app.services, appMark))
    expect(auditSince(vault.services, mark)).toHaveLength(1)

    const liveMark = auditMark(vault.services)
    const notTrashed = await vault.cli(['restore', 'old-db', '--json'])
    expect(notTrashed.code).toBe(0)
    expect(JSON.parse(notTrashed.stdout)).toMatchObject({ slug: 'old-db', changed: false })
    expect(auditSince(vault.services, liveMark)).toEqual([])

    const missing = await vault.cli(['restore', 'nope'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('Connection nope does not exist.')
  })

  it('tells apart trashed connections with the same name by slug', async () => {
    const a = create('aws', 'Gone Box')
    const b = create('github', 'Gone Box')
    vault.services.connections.trash(a.id)
    vault.services.connections.trash(b.id)
    const ambiguous = await vault.cli(['restore', 'GONE BOX'])
    expect(ambiguous.code).toBe(1)
    expect(ambiguous.stderr).toMatch(
      /^bridgekeep: Several connections are named GONE BOX: Gone Box \(gone-box(-2)?\), Gone Box \(gone-box(-2)?\)\n/,
    )
    expect(trashed()).toEqual(expect.arrayContaining(['gone-box', 'gone-box-2']))
    expect((await vault.cli(['restore', 'gone-box-2'])).code).toBe(0)
    expect(trashed()).toContain('gone-box')
    expect(live()).toContain('gone-box-2')
  })

  it('purges only with --yes, and only from the trash, as the app confirms it', async () => {
    const doomed = create('aws', 'Doomed')
    vault.services.connections.trash(doomed.id)
    const mark = auditMark(vault.services)
    const unconfirmed = await vault.cli(['purge', 'doomed'])
    expect(unconfirmed).toMatchObject({ code: 1, stdout: '' })
    expect(unconfirmed.stderr).toBe(
      'bridgekeep: Purging Doomed erases it and every stored version of its secrets from the vault; this cannot be undone.\nNothing was changed. Run: bridgekeep purge doomed --yes\n',
    )
    expect(trashed()).toContain('doomed')
    expect(auditSince(vault.services, mark)).toEqual([])

    const purged = await vault.cli(['purge', 'doomed', '--yes'])
    expect(purged).toMatchObject({ code: 0, stdout: 'Doomed was deleted for good.\n' })
    expect(trashed()).not.toContain('doomed')
    expect(() => vault.services.connections.get(doomed.id)).toThrow()

    const app = await unlockedServices()
    const twin = app.services.connections.create(connectionInput('aws', 'Doomed'))
    app.services.connections.trash(twin.id)
    const appMark = auditMark(app.services)
    expect(await app.call('connections:purge', { id: twin.id })).toEqual({ ok: true, value: null })
    expect(auditSince(vault.services, mark)).toEqual(auditSince(app.services, appMark))

    create('aws', 'Kept')
    const liveOne = await vault.cli(['purge', 'kept', '--yes'])
    expect(liveOne.code).toBe(1)
    expect(liveOne.stderr).toBe(
      'bridgekeep: Connection "Kept" is not in the trash.\nMove it to the trash first; purging is only for trashed connections.\n',
    )
    expect(live()).toContain('kept')
  })

  it('explains each command in --help with an example', async () => {
    for (const [command, example] of [
      [['rm'], 'bridgekeep rm old-aws'],
      [['restore'], 'bridgekeep restore old-aws'],
      [['trash', 'ls'], 'bridgekeep trash ls --json'],
      [['purge'], 'bridgekeep purge old-aws --yes'],
    ] as const) {
      const help = await vault.cli([...command, '--help'])
      expect(help).toMatchObject({ code: 0, stderr: '' })
      expect(help.stdout).toContain(`Usage: bridgekeep ${command.join(' ')} `)
      expect(help.stdout).toMatch(/\nExamples:\n/)
      expect(help.stdout).toContain(`  ${example}\n`)
    }
  })
})
