import { describe, expect, it } from 'vitest'
import type { IpcResult } from '../../shared/ipc/result'
import { connectionInput, environmentIds, unlockedServices } from '../../../test/services'

describe('environments:* and audit:* over IPC', () => {
  it('serves the matrix, applies changes with confirmation, and pushes environments:changed', async () => {
    const { services, call, pushes } = await unlockedServices()
    const env = environmentIds(services)
    const a = services.connections.create(connectionInput('aws', 'prod-aws')).id

    const created = await call('environments:create', { name: 'QA', color: '#ABCDEF' })
    expect(created).toMatchObject({ ok: true, value: { name: 'QA', color: '#abcdef' } })
    expect(pushes.at(-1)).toEqual({
      channel: 'environments:changed',
      payload: { reason: 'environments' },
    })

    const grant = { grants: [{ connectionId: a, environmentId: env.production }] }
    const refused = await call('environments:applyChanges', grant)
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'CONFIRMATION_REQUIRED',
        message: 'These changes touch protected environments. production: grant prod-aws.',
        hint: 'Nothing was changed. Confirm to apply them.',
        issues: [{ field: env.production, message: 'production: grant prod-aws' }],
      },
    })
    const applied = (await call('environments:applyChanges', {
      ...grant,
      confirmProtected: true,
    })) as IpcResult<{ changeId: string }>
    expect(applied).toMatchObject({ ok: true, value: { granted: 1, revoked: 0 } })
    const changeId = applied.ok ? applied.value.changeId : ''
    expect(pushes.at(-1)).toEqual({
      channel: 'environments:changed',
      payload: { reason: 'authorizations', changeId },
    })

    const matrix = await call('environments:matrix')
    expect(matrix).toEqual({ ok: true, value: services.authorizations.getMatrix() })
    expect(matrix).toMatchObject({
      value: { authorized: [[2]], lastChange: { changeId, granted: 1, revoked: 0 } },
    })

    expect(
      await call('environments:resolve', { provider: 'aws', environment: 'production' }),
    ).toMatchObject({
      ok: true,
      value: { connection: { id: a }, via: 'only' },
    })
    expect(
      await call('environments:resolve', { provider: 'aws', environment: 'staging' }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'NO_CONNECTION',
        message: 'No connection available for provider aws in environment staging',
      },
    })

    services.resolution.use('aws', 'production', undefined, 'exec')
    const listed = (await call('connections:list')) as IpcResult<{ lastUsedAt?: string | null }[]>
    expect(listed.ok && listed.value[0]!.lastUsedAt).toEqual(expect.any(String))
    expect(await call('environments:usage', { connectionId: a })).toMatchObject({
      ok: true,
      value: { total: 1, byOperation: [{ operation: 'exec', count: 1 }] },
    })
    expect(await call('environments:authorizationsFor', { connectionId: a })).toEqual({
      ok: true,
      value: { connectionId: a, environmentIds: [env.production] },
    })

    const undone = await call('environments:undoLastChange', { confirmProtected: true })
    expect(undone).toMatchObject({ ok: true, value: { changeId, revoked: 1 } })
    expect(await call('environments:undoLastChange')).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    })
  })

  it('pages the audit timeline, exports it and verifies it', async () => {
    const { services, call } = await unlockedServices()
    for (const name of ['a', 'b', 'c']) services.connections.create(connectionInput('github', name))
    const page = await call('audit:query', { limit: 2 })
    expect(page).toMatchObject({ ok: true, value: { total: 3, nextCursor: 2 } })
    const rest = await call('audit:query', { before: 2 })
    expect(rest).toMatchObject({ ok: true, value: { nextCursor: null } })
    expect(await call('audit:query', { filter: { actions: ['vault.nope'] } })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    })
    expect(await call('audit:export', { format: 'csv' })).toMatchObject({
      ok: true,
      value: { format: 'csv', count: 3, content: expect.stringMatching(/^id,time,/) as string },
    })
    expect(await call('audit:verify')).toMatchObject({
      ok: true,
      value: { ok: true, checked: 3, firstBroken: null, message: 'All 3 entries verify.' },
    })
  })
})
