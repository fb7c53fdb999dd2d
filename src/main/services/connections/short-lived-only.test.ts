import { describe, expect, it } from 'vitest'
import { connectionInput, unlockedServices } from '../../../../test/services'

describe("an owner's short-lived-only setting", () => {
  it('is set and cleared through the update IPC, shown on the detail and audited', async () => {
    const { services, call } = await unlockedServices()
    const created = services.connections.create(connectionInput('aws', 'prod-aws'))
    expect(created.shortLivedOnly).toBeUndefined()

    const on = await call('connections:update', { id: created.id, shortLivedOnly: true })
    expect(on).toMatchObject({ ok: true, value: { shortLivedOnly: true } })
    expect(services.connections.get(created.id).shortLivedOnly).toBe(true)
    // Other edits leave it as it is.
    services.connections.update({ id: created.id, notes: 'platform team' })
    expect(services.connections.get(created.id).shortLivedOnly).toBe(true)

    await call('connections:update', { id: created.id, shortLivedOnly: false })
    expect(services.connections.get(created.id).shortLivedOnly).toBeUndefined()
    const refused = await call('connections:update', { id: created.id, shortLivedOnly: 'yes' })
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })

    const details = services.audit
      .query({ filter: { actions: ['connection.update'] } })
      .entries.map((e) => e.detail)
    expect(details).toEqual([
      'Changed: short-lived credentials only',
      'Changed: notes',
      'Changed: short-lived credentials only',
    ])
  })

  it('is refused where the stored secret has no exchange, saying what tools receive', async () => {
    const { services } = await unlockedServices()
    const github = services.connections.create(connectionInput('github', 'gh'))
    expect(() => services.connections.update({ id: github.id, shortLivedOnly: true })).toThrow(
      'Short-lived credentials only: GitHub (inline) has no exchange for short-lived credentials; its tools receive the token itself.',
    )
    expect(() =>
      services.connections.create({ ...connectionInput('postgres', 'db'), shortLivedOnly: true }),
    ).toThrow(/PostgreSQL \(inline\) has no exchange/)
    expect(services.connections.get(github.id).shortLivedOnly).toBeUndefined()
  })

  it('may be chosen when the connection is created, and the creation says so', async () => {
    const { services } = await unlockedServices()
    const created = services.connections.create({
      ...connectionInput('aws', 'own-aws'),
      shortLivedOnly: true,
    })
    expect(services.connections.get(created.id).shortLivedOnly).toBe(true)
    const [entry] = services.audit.query({ filter: { actions: ['connection.create'] } }).entries
    expect(entry?.detail).toBe('Amazon Web Services, inline, short-lived credentials only')
  })
})
