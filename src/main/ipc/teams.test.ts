import { describe, expect, it } from 'vitest'
import { unlockedServices } from '../../../test/services'

/**
 * The Teams channels as the page calls them, without a team database: input checked against the
 * contract (each issue naming its field), and the service's own refusals passed on with their
 * hints. The way through a real PostgreSQL is e2e/specs/teams.spec.ts.
 */
describe('teams IPC channels', () => {
  it('lists no team in a new vault, and refuses bad input field by field', async () => {
    const { call } = await unlockedServices()
    expect(await call('teams:list')).toEqual({ ok: true, value: [] })

    const blank = await call('teams:create', { connection: 'team-db', environment: '', name: ' ' })
    expect(blank).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    const fields = !blank.ok ? blank.error.issues?.map((issue) => issue.field) : []
    expect(fields).toEqual(expect.arrayContaining(['environment', 'name']))

    const role = await call('teams:invite', {
      team: 'platform',
      address: 'bkshare1:x',
      role: 'owner',
    })
    expect(role).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', issues: [expect.objectContaining({ field: 'role' })] },
    })
    // Unknown keys are refused, not ignored (the contract's objects are strict).
    expect(await call('teams:members', { team: 'platform', sql: 'DROP' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    })
  })

  it('checks the secrets-to-rotate channels: bad input by field, an unknown team named', async () => {
    const { call } = await unlockedServices()
    const blank = await call('teams:dismissRotation', { team: 'platform', connection: '  ' })
    expect(blank).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', issues: [expect.objectContaining({ field: 'connection' })] },
    })
    const long = await call('teams:dismissRotation', { team: 'x'.repeat(101), connection: 'a' })
    expect(long).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', issues: [expect.objectContaining({ field: 'team' })] },
    })
    expect(
      await call('teams:dismissRotation', { team: 'platform', connection: 'a', all: true }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(await call('teams:rotations', {})).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', issues: [expect.objectContaining({ field: 'team' })] },
    })
    expect(await call('teams:rotations', { team: 'platform' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'This vault is in no team space named platform.' },
    })
  })

  it("passes on the service's refusals with what to do", async () => {
    const { call } = await unlockedServices()
    expect(await call('teams:members', { team: 'platform' })).toMatchObject({
      ok: false,
      error: {
        code: 'NOT_FOUND',
        message: 'This vault is in no team space named platform.',
        hint: expect.stringContaining('Create one'),
      },
    })
    // No such PostgreSQL connection: refused by resolution, before any database is asked.
    const create = await call('teams:create', {
      connection: 'team-db',
      environment: 'staging',
      name: 'platform',
    })
    expect(create).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('team-db') },
    })
    expect(await call('teams:list')).toEqual({ ok: true, value: [] })
  })

  it('refuses a database login PostgreSQL cannot name, before anything is asked', async () => {
    const { call } = await unlockedServices()
    const quoted = await call('teams:remove', { team: 'platform', member: 'Bob', dbLogin: 'b"ob' })
    expect(quoted).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: expect.stringContaining('is not a PostgreSQL login name'),
        hint: expect.stringContaining('bob_login'),
      },
    })
    const long = await call('teams:changeRole', {
      team: 'platform',
      member: 'Bob',
      role: 'member',
      dbLogin: 'x'.repeat(64),
    })
    expect(long).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', issues: [expect.objectContaining({ field: 'dbLogin' })] },
    })
  })

  it('asks for the vault to be unlocked first', async () => {
    const { call, services } = await unlockedServices()
    services.vault.lock()
    expect(await call('teams:list')).toMatchObject({ ok: false, error: { code: 'VAULT_LOCKED' } })
  })
})
