import { describe, expect, it } from 'vitest'
import type { IpcResult } from '../../../shared/ipc/result'
import { connectionInput, environmentIds, unlockedServices } from '../../../../test/services'
import type { ConnectionDetail } from '../../../shared/connections'

describe('connections:create with environments: create and authorize in one transaction', () => {
  it('creates the connection and grants each environment in one change set, both audited', async () => {
    const { services, call, pushes } = await unlockedServices()
    const env = environmentIds(services)
    const created = (await call('connections:create', {
      ...connectionInput('aws', 'prod-aws'),
      environmentIds: [env.development, env.staging, env.staging],
    })) as IpcResult<ConnectionDetail>
    expect(created.ok).toBe(true)
    const id = created.ok ? created.value.id : ''
    expect(services.authorizations.authorizationsFor(id).environmentIds.sort()).toEqual(
      [env.development!, env.staging!].sort(),
    )
    const actions = services.audit
      .query({ filter: { actions: ['connection.create', 'authorization.change'] } })
      .entries.map((entry) => [entry.action, entry.detail])
    expect(actions).toEqual([
      ['authorization.change', '2 granted, 0 revoked: +prod-aws@development, +prod-aws@staging'],
      ['connection.create', expect.any(String)],
    ])
    expect(pushes.at(-1)).toMatchObject({
      channel: 'environments:changed',
      payload: { reason: 'authorizations' },
    })
    // One change set: the matrix's Undo takes both grants back.
    expect(services.authorizations.undoLastChange()).toMatchObject({ revoked: 2 })
  })

  it('a protected environment unconfirmed creates nothing at all; confirmed, both happen', async () => {
    const { services, call } = await unlockedServices()
    const env = environmentIds(services)
    const form = {
      ...connectionInput('github', 'ci-github'),
      environmentIds: [env.development, env.production],
    }
    const refused = await call('connections:create', form)
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'CONFIRMATION_REQUIRED',
        message: 'These changes touch protected environments. production: grant ci-github.',
      },
    })
    expect(services.connections.list()).toEqual([])
    expect(services.audit.query({ filter: { actions: ['connection.create'] } }).total).toBe(0)

    const confirmed = (await call('connections:create', {
      ...form,
      confirmProtected: true,
    })) as IpcResult<ConnectionDetail>
    expect(confirmed).toMatchObject({ ok: true, value: { slug: 'ci-github' } })
    const id = confirmed.ok ? confirmed.value.id : ''
    expect(services.authorizations.authorizationsFor(id).environmentIds).toHaveLength(2)
  })

  it('an environment that does not exist leaves no connection behind; none given is a plain create', async () => {
    const { services, call } = await unlockedServices()
    expect(
      await call('connections:create', {
        ...connectionInput('github', 'gh'),
        environmentIds: ['no-such-environment'],
      }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(services.connections.list()).toEqual([])
    expect(
      await call('connections:create', { ...connectionInput('github', 'gh'), environmentIds: 'x' }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    const plain = (await call(
      'connections:create',
      connectionInput('github', 'gh'),
    )) as IpcResult<ConnectionDetail>
    const id = plain.ok ? plain.value.id : ''
    expect(services.authorizations.authorizationsFor(id).environmentIds).toEqual([])
    expect(services.audit.query({ filter: { actions: ['authorization.change'] } }).total).toBe(0)
  })
})
