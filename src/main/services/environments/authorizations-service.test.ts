import { describe, expect, it } from 'vitest'
import { matrixSchema } from '../../../shared/environments'
import { unlockedWithConnections as withConnections } from '../../../../test/services'

describe('AuthorizationsService: the authorization matrix', () => {
  it('returns rows x columns with authorized pairs as column indexes; trashed rows left out', async () => {
    const { services, ids, env } = await withConnections(
      ['github', 'b-gh'],
      ['aws', 'a-aws'],
      ['gcp', 'c-gcp'],
    )
    const [gh, aws, gcp] = ids as [string, string, string]
    services.authorizations.applyChanges({
      grants: [
        { connectionId: gh, environmentId: env.production! },
        { connectionId: gh, environmentId: env.development! },
        { connectionId: aws, environmentId: env.staging! },
        { connectionId: gcp, environmentId: env.staging! },
      ],
      confirmProtected: true,
    })
    services.connections.trash(gcp)
    const matrix = services.authorizations.getMatrix()
    expect(matrixSchema.parse(matrix)).toEqual(matrix)
    expect(matrix.environments.map((e) => [e.name, e.authorizedCount])).toEqual([
      ['development', 1],
      ['staging', 1],
      ['production', 1],
    ])
    expect(matrix.connections.map((c) => [c.name, c.provider])).toEqual([
      ['a-aws', 'aws'],
      ['b-gh', 'github'],
    ])
    expect(matrix.authorized).toEqual([[1], [0, 2]])
    expect(matrix.lastChange).toMatchObject({ granted: 4, revoked: 0 })
    // Restoring brings its authorization back: trashing never loses it.
    services.connections.restore(gcp)
    expect(services.authorizations.getMatrix().authorized).toEqual([[1], [0, 2], [1]])
  })

  it('applies grants and revokes in one change set, one audit entry; no-ops are not counted', async () => {
    const { services, ids, env } = await withConnections(['aws', 'a'], ['aws', 'b'])
    const [a, b] = ids as [string, string]
    const first = services.authorizations.applyChanges({
      grants: [
        { connectionId: a, environmentId: env.development! },
        { connectionId: b, environmentId: env.development! },
        { connectionId: b, environmentId: env.development! },
      ],
    })
    expect(first).toMatchObject({ granted: 2, revoked: 0, defaultsCleared: 0 })
    expect(first.changeId).toEqual(expect.any(String))
    const second = services.authorizations.applyChanges({
      grants: [{ connectionId: a, environmentId: env.development! }],
      revokes: [
        { connectionId: b, environmentId: env.development! },
        { connectionId: b, environmentId: env.staging! },
      ],
    })
    expect(second).toMatchObject({ granted: 0, revoked: 1 })
    expect(
      services.authorizations.applyChanges({
        grants: [{ connectionId: a, environmentId: env.development! }],
      }),
    ).toEqual({ changeId: null, granted: 0, revoked: 0, defaultsCleared: 0 })
    const entries = services.audit.query({ filter: { actions: ['authorization.change'] } }).entries
    expect(entries.map((e) => e.detail)).toEqual([
      '0 granted, 1 revoked: -b@development',
      '2 granted, 0 revoked: +a@development, +b@development',
    ])
    expect(entries[0]).toMatchObject({
      targetId: b,
      targetName: 'b',
      environmentName: 'development',
    })
    expect(entries[1]).toMatchObject({ targetType: 'matrix', targetId: null })
  })

  it('is all or nothing: a bad pair anywhere changes nothing', async () => {
    const { services, ids, env } = await withConnections(['aws', 'a'], ['aws', 'b'])
    const [a, b] = ids as [string, string]
    services.connections.trash(b)
    const attempts = [
      {
        grants: [
          { connectionId: a, environmentId: env.staging! },
          { connectionId: 'gone', environmentId: env.staging! },
        ],
        code: 'NOT_FOUND',
      },
      {
        grants: [
          { connectionId: a, environmentId: env.staging! },
          { connectionId: a, environmentId: 'gone' },
        ],
        code: 'NOT_FOUND',
      },
      {
        grants: [
          { connectionId: a, environmentId: env.staging! },
          { connectionId: b, environmentId: env.staging! },
        ],
        code: 'CONFLICT',
      },
    ]
    for (const { grants, code } of attempts) {
      expect(() => services.authorizations.applyChanges({ grants })).toThrow(
        expect.objectContaining({ code }),
      )
    }
    expect(() =>
      services.authorizations.applyChanges({
        grants: [{ connectionId: a, environmentId: env.staging! }],
        revokes: [{ connectionId: a, environmentId: env.staging! }],
      }),
    ).toThrow(expect.objectContaining({ code: 'VALIDATION' }))
    expect(services.authorizations.authorizationsFor(a).environmentIds).toEqual([])
    expect(services.audit.query({ filter: { actions: ['authorization.change'] } }).total).toBe(0)
  })

  it('asks to confirm changes touching a protected environment, naming each of them', async () => {
    const { services, ids, env } = await withConnections(
      ['aws', 'prod-aws'],
      ['github', 'ci'],
      ['gcp', 'old'],
    )
    const [prodAws, ci, old] = ids as [string, string, string]
    services.authorizations.applyChanges({
      grants: [{ connectionId: old, environmentId: env.production! }],
      confirmProtected: true,
    })
    const changes = {
      grants: [
        { connectionId: prodAws, environmentId: env.production! },
        { connectionId: ci, environmentId: env.production! },
        { connectionId: ci, environmentId: env.staging! },
      ],
      revokes: [{ connectionId: old, environmentId: env.production! }],
    }
    let thrown: unknown
    try {
      services.authorizations.applyChanges(changes)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toMatchObject({
      code: 'CONFIRMATION_REQUIRED',
      message:
        'These changes touch protected environments. production: grant prod-aws, ci; revoke old.',
      issues: [{ field: env.production, message: 'production: grant prod-aws, ci; revoke old' }],
    })
    // Nothing changed, not even the unprotected cell.
    expect(services.authorizations.authorizationsFor(ci).environmentIds).toEqual([])
    expect(services.authorizations.authorizationsFor(old).environmentIds).toEqual([env.production])
    // A no-op in a protected environment needs no confirmation.
    expect(
      services.authorizations.applyChanges({
        grants: [
          { connectionId: old, environmentId: env.production! },
          { connectionId: ci, environmentId: env.staging! },
        ],
      }),
    ).toMatchObject({ granted: 1 })
    expect(
      services.authorizations.applyChanges({ ...changes, confirmProtected: true }),
    ).toMatchObject({ granted: 2, revoked: 1 })
  })

  it('undoes the last change set, then the one before; undo of a protected change needs confirming', async () => {
    const { services, ids, env } = await withConnections(['aws', 'a'], ['aws', 'b'])
    const [a, b] = ids as [string, string]
    const one = services.authorizations.applyChanges({
      grants: [{ connectionId: a, environmentId: env.staging! }],
    })
    const two = services.authorizations.applyChanges({
      grants: [{ connectionId: b, environmentId: env.production! }],
      revokes: [{ connectionId: a, environmentId: env.staging! }],
      confirmProtected: true,
    })
    expect(services.authorizations.getMatrix().lastChange?.changeId).toBe(two.changeId)
    expect(() => services.authorizations.undoLastChange()).toThrow(
      expect.objectContaining({ code: 'CONFIRMATION_REQUIRED' }),
    )
    expect(services.authorizations.undoLastChange({ confirmProtected: true })).toEqual({
      changeId: two.changeId,
      granted: 1,
      revoked: 1,
    })
    expect(services.authorizations.authorizationsFor(a).environmentIds).toEqual([env.staging])
    expect(services.authorizations.authorizationsFor(b).environmentIds).toEqual([])
    expect(services.authorizations.getMatrix().lastChange?.changeId).toBe(one.changeId)
    expect(services.authorizations.undoLastChange()).toMatchObject({ changeId: one.changeId })
    expect(services.authorizations.authorizationsFor(a).environmentIds).toEqual([])
    expect(services.authorizations.getMatrix().lastChange).toBeNull()
    expect(() => services.authorizations.undoLastChange()).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    )
    expect(
      services.audit.query({ filter: { actions: ['authorization.undo'] } }).entries.length,
    ).toBe(2)
  })

  it('undo skips a connection purged since', async () => {
    const { services, ids, env } = await withConnections(['aws', 'a'], ['aws', 'b'])
    const [a, b] = ids as [string, string]
    services.authorizations.applyChanges({
      grants: [
        { connectionId: a, environmentId: env.staging! },
        { connectionId: b, environmentId: env.staging! },
      ],
    })
    services.authorizations.applyChanges({
      revokes: [
        { connectionId: a, environmentId: env.staging! },
        { connectionId: b, environmentId: env.staging! },
      ],
    })
    services.connections.trash(b)
    services.connections.purge(b)
    expect(services.authorizations.undoLastChange()).toMatchObject({ granted: 1, revoked: 0 })
    expect(services.authorizations.authorizationsFor(a).environmentIds).toEqual([env.staging])
  })

  it('the details page reads and sets one connection’s environments as one change set', async () => {
    const { services, ids, env } = await withConnections(['aws', 'a'])
    const [a] = ids as [string]
    expect(
      services.authorizations.setAuthorizations({
        connectionId: a,
        environmentIds: [env.development!, env.staging!],
      }),
    ).toMatchObject({ granted: 2, revoked: 0 })
    expect(() =>
      services.authorizations.setAuthorizations({
        connectionId: a,
        environmentIds: [env.production!],
      }),
    ).toThrow(expect.objectContaining({ code: 'CONFIRMATION_REQUIRED' }))
    expect(
      services.authorizations.setAuthorizations({
        connectionId: a,
        environmentIds: [env.production!, env.staging!],
        confirmProtected: true,
      }),
    ).toMatchObject({ granted: 1, revoked: 1 })
    expect(services.authorizations.authorizationsFor(a).environmentIds).toEqual([
      env.staging,
      env.production,
    ])
    expect(() => services.authorizations.authorizationsFor('nope')).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    )
  })
})
