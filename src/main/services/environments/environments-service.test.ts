import { describe, expect, it } from 'vitest'
import {
  unlockedServices,
  unlockedWithConnections as withConnections,
} from '../../../../test/services'

const actionsOf = (services: Awaited<ReturnType<typeof unlockedServices>>['services']) =>
  services.audit
    .query({ limit: 1000 })
    .entries.map((e) => e.action)
    .reverse()

describe('EnvironmentsService: environments', () => {
  it('pushes environments:changed after each change, with the change set for authorizations', async () => {
    const { services, pushes, ids, env } = await withConnections(['aws', 'prod-aws'])
    const reasons = () => pushes.splice(0).map((p) => [p.channel, p.payload])
    const qa = services.environments.create({ name: 'QA' })
    services.environments.update({ id: qa.id, name: 'QA (EU)' })
    services.environments.setProtected(qa.id, true)
    services.environments.reorder({ ids: services.environments.list().map((e) => e.id) })
    expect(reasons()).toEqual(Array(4).fill(['environments:changed', { reason: 'environments' }]))
    const grant = { grants: [{ connectionId: ids[0]!, environmentId: env.staging! }] }
    const { changeId } = services.authorizations.applyChanges(grant)
    // A change that changes nothing is not pushed.
    services.authorizations.applyChanges(grant)
    const undone = services.authorizations.undoLastChange()
    const set = services.authorizations.setAuthorizations({
      connectionId: ids[0]!,
      environmentIds: [env.staging!],
    })
    services.environments.setDefault({
      environmentId: env.staging!,
      provider: 'aws',
      connectionId: ids[0]!,
    })
    services.environments.delete({ id: qa.id, confirmProtected: true })
    expect(reasons()).toEqual([
      ['environments:changed', { reason: 'authorizations', changeId }],
      ['environments:changed', { reason: 'authorizations', changeId: undone.changeId }],
      ['environments:changed', { reason: 'authorizations', changeId: set.changeId }],
      ['environments:changed', { reason: 'defaults' }],
      ['environments:changed', { reason: 'environments' }],
    ])
    // A refused change is not pushed.
    expect(() => services.environments.delete({ id: 'nope' })).toThrow()
    expect(reasons()).toEqual([])
  })

  it('a new vault starts with development, staging and production (protected)', async () => {
    const { services } = await unlockedServices()
    expect(
      services.environments.list().map(({ name, slug, protected: p, position }) => ({
        name,
        slug,
        protected: p,
        position,
      })),
    ).toEqual([
      { name: 'development', slug: 'development', protected: false, position: 0 },
      { name: 'staging', slug: 'staging', protected: false, position: 1 },
      { name: 'production', slug: 'production', protected: true, position: 2 },
    ])
  })

  it('creates, renames, recolours, describes and protects, auditing each aspect', async () => {
    const { services, call } = await unlockedServices()
    const qa = services.environments.create({ name: 'QA (EU)', description: 'Tests' })
    expect(qa).toMatchObject({
      name: 'QA (EU)',
      slug: 'qa-eu',
      position: 3,
      protected: false,
      authorizedCount: 0,
    })
    expect(qa.color).toMatch(/^#[0-9a-f]{6}$/)
    // Through the contract, whose schema lowercases the colour before the service sees it.
    const edited = await call('environments:update', {
      id: qa.id,
      name: 'Quality',
      color: '#12AB34',
      description: 'Manual tests',
    })
    expect(edited).toMatchObject({
      ok: true,
      value: { name: 'Quality', slug: 'qa-eu', color: '#12ab34' },
    })
    expect(services.environments.update({ id: qa.id, slug: 'quality' }).slug).toBe('quality')
    services.environments.setProtected(qa.id, true)
    services.environments.setProtected(qa.id, true) // no change, no entry
    expect(actionsOf(services)).toEqual([
      'environment.create',
      'environment.rename',
      'environment.recolor',
      'environment.describe',
      'environment.rename',
      'environment.protect',
    ])
    const rename = services.audit.query({ filter: { actions: ['environment.rename'] } }).entries
    expect(rename.map((e) => e.detail)).toEqual([
      'slug qa-eu -> quality',
      'Renamed "QA (EU)" to "Quality"',
    ])
    expect(rename[0]).toMatchObject({ environmentId: qa.id, environmentName: 'Quality' })
  })

  it('refuses a name taken in any case, and a taken slug', async () => {
    const { services } = await unlockedServices()
    expect(() => services.environments.create({ name: 'Production' })).toThrow(
      expect.objectContaining({
        code: 'VALIDATION',
        issues: [expect.objectContaining({ field: 'name' })],
      }),
    )
    expect(() => services.environments.create({ name: 'prod', slug: 'staging' })).toThrow(
      expect.objectContaining({ code: 'VALIDATION' }),
    )
    expect(() => services.environments.create({ name: ' ' })).toThrow(
      expect.objectContaining({ code: 'VALIDATION' }),
    )
    expect(() => services.environments.create({ name: 'x', color: 'red' })).toThrow(
      expect.objectContaining({ code: 'VALIDATION' }),
    )
    // Renaming to itself in another case is fine.
    const env = services.environments.list().find((e) => e.name === 'staging')!
    expect(services.environments.update({ id: env.id, name: 'Staging' }).name).toBe('Staging')
    // A derived slug that is taken gets a suffix.
    expect(services.environments.create({ name: 'Staging!' }).slug).toBe('staging-2')
  })

  it('reorders the columns', async () => {
    const { services, env } = await withConnections()
    const order = [env.production!, env.development!, env.staging!]
    expect(services.environments.reorder({ ids: order }).map((e) => e.id)).toEqual(order)
    expect(() => services.environments.reorder({ ids: order.slice(1) })).toThrow(
      expect.objectContaining({ code: 'CONFLICT' }),
    )
  })

  it('refuses to delete an environment connections are authorized for, unless forced; says what went', async () => {
    const { services, ids, env } = await withConnections(['aws', 'a'], ['aws', 'b'])
    services.authorizations.applyChanges({
      grants: ids.map((connectionId) => ({ connectionId, environmentId: env.staging! })),
    })
    services.environments.setDefault({
      environmentId: env.staging!,
      provider: 'aws',
      connectionId: ids[0]!,
    })
    expect(() => services.environments.delete({ id: env.staging! })).toThrow(
      expect.objectContaining({
        code: 'CONFLICT',
        message: expect.stringContaining('has 2 authorized connections (a, b)') as string,
      }),
    )
    expect(services.authorizations.authorizationsFor(ids[0]!).environmentIds).toEqual([env.staging])
    expect(services.environments.delete({ id: env.staging!, force: true })).toEqual({
      removedAuthorizations: 2,
      removedDefaults: 1,
    })
    expect(services.environments.list().map((e) => e.name)).toEqual(['development', 'production'])
    expect(services.authorizations.authorizationsFor(ids[0]!).environmentIds).toEqual([])
    const [entry] = services.audit.query({ filter: { actions: ['environment.delete'] } }).entries
    expect(entry).toMatchObject({
      environmentName: 'staging',
      detail: 'Deleted with 2 authorizations (a, b) and 1 default',
    })
    // An empty environment goes without ceremony.
    const empty = services.environments.create({ name: 'tmp' })
    expect(services.environments.delete({ id: empty.id })).toEqual({
      removedAuthorizations: 0,
      removedDefaults: 0,
    })
  })

  it('deleting a protected environment needs confirming, naming what goes with it', async () => {
    const { services, ids, env } = await withConnections(['aws', 'prod-aws'])
    services.authorizations.applyChanges({
      grants: [{ connectionId: ids[0]!, environmentId: env.production! }],
      confirmProtected: true,
    })
    expect(() => services.environments.delete({ id: env.production!, force: true })).toThrow(
      expect.objectContaining({
        code: 'CONFIRMATION_REQUIRED',
        message:
          'Environment "production" is protected. Deleting it removes 1 authorization (prod-aws).',
      }),
    )
    expect(
      services.environments.delete({ id: env.production!, force: true, confirmProtected: true }),
    ).toEqual({ removedAuthorizations: 1, removedDefaults: 0 })
  })

  it('refuses everything while locked', async () => {
    const { services } = await unlockedServices()
    services.vault.lock()
    for (const action of [
      () => services.environments.list(),
      () => services.authorizations.getMatrix(),
      () => services.environments.create({ name: 'x' }),
      () => services.authorizations.applyChanges({ grants: [] }),
    ])
      expect(action).toThrow(expect.objectContaining({ code: 'VAULT_LOCKED' }))
  })
})

describe('EnvironmentsService: defaults', () => {
  it('sets a default only for an authorized, live connection of that provider; revoking clears it', async () => {
    const { services, ids, env } = await withConnections(
      ['aws', 'a'],
      ['aws', 'b'],
      ['github', 'gh'],
    )
    const [a, b, gh] = ids as [string, string, string]
    services.authorizations.applyChanges({
      grants: [a, b, gh].map((connectionId) => ({ connectionId, environmentId: env.staging! })),
    })
    const set = (connectionId: string | null, provider = 'aws') =>
      services.environments.setDefault({ environmentId: env.staging!, provider, connectionId })
    expect(set(b)).toEqual({ environmentId: env.staging, provider: 'aws', connectionId: b })
    expect(services.environments.defaults()).toEqual([
      { environmentId: env.staging, provider: 'aws', connectionId: b },
    ])
    expect(() => set(gh)).toThrow(expect.objectContaining({ code: 'VALIDATION' }))
    expect(() => set(a, 'nope')).toThrow(expect.objectContaining({ code: 'VALIDATION' }))
    expect(() =>
      services.environments.setDefault({
        environmentId: env.development!,
        provider: 'aws',
        connectionId: a,
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'NOT_AUTHORIZED',
        message: 'Connection a is not authorized for environment development',
      }),
    )
    const revoked = services.authorizations.applyChanges({
      revokes: [{ connectionId: b, environmentId: env.staging! }],
    })
    expect(revoked.defaultsCleared).toBe(1)
    expect(services.environments.defaults()).toEqual([])
    set(a)
    expect(set(null)).toMatchObject({ connectionId: null })
    expect(services.environments.defaults()).toEqual([])
    expect(
      services.audit
        .query({ filter: { actions: ['default.set'] } })
        .entries.map((e) => e.detail)
        .reverse(),
    ).toEqual([
      'Default aws connection',
      'Default aws connection',
      'Default aws connection cleared (was a)',
    ])
  })
})
