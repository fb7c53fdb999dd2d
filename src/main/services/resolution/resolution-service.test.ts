import { beforeAll, describe, expect, it } from 'vitest'
import type { Services } from '..'
import { connectionInput, environmentIds, unlockedServices } from '../../../../test/services'
import { exchangeAddresses, twoVaults } from '../../../../test/sharing'

/**
 * One vault for the whole table:
 * - production: prod-aws (aws), gh (github); trashed-aws is authorized there but trashed
 * - staging: stage-aws-1 and stage-aws-2 (aws), no default
 * - development: dev-aws-a and dev-aws-b (aws), default dev-aws-b; Twin Env (aws) x2
 * - qa: nothing; unauth-aws (aws) is authorized nowhere; no kubernetes connection exists
 */
let services: Services
let ids: Record<string, string>

beforeAll(async () => {
  ;({ services } = await unlockedServices())
  services.environments.create({ name: 'QA Europe', slug: 'qa' })
  const env = environmentIds(services)
  const made: [provider: string, name: string, environments: string[]][] = [
    ['aws', 'prod-aws', ['production']],
    ['github', 'gh', ['production']],
    ['aws', 'trashed-aws', ['production']],
    ['aws', 'stage-aws-1', ['staging']],
    ['aws', 'Stage AWS 2', ['staging']],
    ['aws', 'dev-aws-a', ['development']],
    ['aws', 'dev-aws-b', ['development']],
    ['aws', 'Twin Env', ['development']],
    ['aws', 'Twin Env', ['development']],
    ['aws', 'unauth-aws', []],
  ]
  ids = {}
  const grants = made.flatMap(([provider, name, environments]) => {
    const created = services.connections.create(connectionInput(provider, name))
    ids[created.slug] = created.id
    return environments.map((e) => ({ connectionId: created.id, environmentId: env[e]! }))
  })
  services.authorizations.applyChanges({ grants, confirmProtected: true })
  services.environments.setDefault({
    environmentId: env.development!,
    provider: 'aws',
    connectionId: ids['dev-aws-b']!,
  })
  services.connections.trash(ids['trashed-aws']!)
})

type Case = [
  what: string,
  query: [provider: string, environment: string, name?: string],
  expected:
    | { slug: string; via: 'name' | 'only' | 'default'; environment: string }
    | { code: string; message: string | RegExp; hint?: string | RegExp },
]

const cases: Case[] = [
  // Successes
  [
    'the only authorized connection',
    ['aws', 'production'],
    { slug: 'prod-aws', via: 'only', environment: 'production' },
  ],
  [
    'environment by name in any case',
    ['aws', 'PRODUCTION'],
    { slug: 'prod-aws', via: 'only', environment: 'production' },
  ],
  [
    'environment by slug',
    ['aws', 'qa'],
    {
      code: 'NO_CONNECTION',
      message: 'No connection available for provider aws in environment QA Europe',
      hint: /^Not authorized for QA Europe: dev-aws-a, dev-aws-b, prod-aws, Stage AWS 2, stage-aws-1, Twin Env, Twin Env, unauth-aws\. Authorize one in the matrix\.$/,
    },
  ],
  [
    'the default when several are authorized',
    ['aws', 'development'],
    { slug: 'dev-aws-b', via: 'default', environment: 'development' },
  ],
  [
    'a named connection by name (any case)',
    ['aws', 'staging', 'stage aws 2'],
    { slug: 'stage-aws-2', via: 'name', environment: 'staging' },
  ],
  [
    'a named connection by slug',
    ['aws', 'staging', 'stage-aws-1'],
    { slug: 'stage-aws-1', via: 'name', environment: 'staging' },
  ],
  [
    'a named connection over the default',
    ['aws', 'development', 'dev-aws-a'],
    { slug: 'dev-aws-a', via: 'name', environment: 'development' },
  ],
  [
    'one of two same-named connections by slug',
    ['aws', 'development', 'twin-env-2'],
    { slug: 'twin-env-2', via: 'name', environment: 'development' },
  ],
  [
    'another provider in the same environment',
    ['github', 'production'],
    { slug: 'gh', via: 'only', environment: 'production' },
  ],
  // No connection
  [
    'none authorized, others exist (hint names them)',
    ['github', 'staging'],
    {
      code: 'NO_CONNECTION',
      message: 'No connection available for provider github in environment staging',
      hint: 'Not authorized for staging: gh. Authorize one in the matrix.',
    },
  ],
  [
    'no connection of that provider at all',
    ['kubernetes', 'production'],
    {
      code: 'NO_CONNECTION',
      message: 'No connection available for provider kubernetes in environment production',
      hint: /^There is no Kubernetes connection yet\./,
    },
  ],
  // Not authorized
  [
    'a named connection not authorized there',
    ['aws', 'production', 'unauth-aws'],
    {
      code: 'NOT_AUTHORIZED',
      message: 'Connection unauth-aws is not authorized for environment production',
      hint: /^Amazon Web Services connections authorized for production: prod-aws\./,
    },
  ],
  [
    'a named connection authorized elsewhere only',
    ['aws', 'qa', 'prod-aws'],
    {
      code: 'NOT_AUTHORIZED',
      message: 'Connection prod-aws is not authorized for environment QA Europe',
      hint: 'Authorize it for QA Europe in the matrix.',
    },
  ],
  // Ambiguous
  [
    'several authorized, no default',
    ['aws', 'staging'],
    {
      code: 'AMBIGUOUS_CONNECTION',
      message:
        'Several aws connections are authorized for environment staging: Stage AWS 2, stage-aws-1',
      hint: /set a default Amazon Web Services connection for staging/,
    },
  ],
  [
    'a name shared by two connections',
    ['aws', 'development', 'twin env'],
    {
      code: 'AMBIGUOUS_CONNECTION',
      message: 'Several connections are named twin env: Twin Env (twin-env), Twin Env (twin-env-2)',
    },
  ],
  // Trash, unknowns, wrong provider
  [
    'a trashed connection never resolves, even by name',
    ['aws', 'production', 'trashed-aws'],
    { code: 'CONFLICT', message: 'Connection trashed-aws is in the trash.' },
  ],
  [
    'an unknown connection name',
    ['aws', 'production', 'nobody'],
    { code: 'NOT_FOUND', message: 'Connection nobody does not exist.' },
  ],
  [
    'a named connection of another provider',
    ['aws', 'production', 'gh'],
    {
      code: 'VALIDATION',
      message: 'Connection gh is a GitHub connection, not Amazon Web Services.',
    },
  ],
  [
    'an unknown environment',
    ['aws', 'prod'],
    {
      code: 'NOT_FOUND',
      message: 'Environment prod does not exist.',
      hint: 'Environments: development, staging, production, QA Europe.',
    },
  ],
  [
    'an unknown provider',
    ['oracle', 'production'],
    { code: 'VALIDATION', message: '"oracle" is not a provider Bridgekeep knows.' },
  ],
]

describe('ResolutionService.resolve', () => {
  it.each(cases)('%s', (_what, [provider, environment, name], expected) => {
    if ('slug' in expected) {
      const resolved = services.resolution.resolve(provider, environment, name)
      expect(resolved).toMatchObject({
        connection: { id: ids[expected.slug], slug: expected.slug, provider },
        environment: { name: expected.environment },
        via: expected.via,
      })
      return
    }
    let thrown: unknown
    try {
      services.resolution.resolve(provider, environment, name)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toMatchObject({ code: expected.code })
    const error = thrown as { message: string; hint?: string }
    if (typeof expected.message === 'string') expect(error.message).toBe(expected.message)
    else expect(error.message).toMatch(expected.message)
    if (typeof expected.hint === 'string') expect(error.hint).toBe(expected.hint)
    else if (expected.hint) expect(error.hint).toMatch(expected.hint)
  })
})

describe('ResolutionService: defaults and trash over time', () => {
  it('a trashed or revoked default no longer counts', async () => {
    const { services } = await unlockedServices()
    const env = environmentIds(services)
    const [a, b, c] = ['a', 'b', 'c'].map(
      (name) => services.connections.create(connectionInput('aws', name)).id,
    ) as [string, string, string]
    services.authorizations.applyChanges({
      grants: [a, b, c].map((connectionId) => ({ connectionId, environmentId: env.staging! })),
    })
    services.environments.setDefault({
      environmentId: env.staging!,
      provider: 'aws',
      connectionId: c,
    })
    expect(services.resolution.resolve('aws', 'staging').connection.id).toBe(c)
    services.connections.trash(c)
    expect(() => services.resolution.resolve('aws', 'staging')).toThrow(
      expect.objectContaining({ code: 'AMBIGUOUS_CONNECTION' }),
    )
    services.authorizations.applyChanges({
      revokes: [{ connectionId: b, environmentId: env.staging! }],
    })
    expect(services.resolution.resolve('aws', 'staging')).toMatchObject({
      connection: { id: a },
      via: 'only',
    })
  })

  it('refuses while locked', async () => {
    const { services } = await unlockedServices()
    services.vault.lock()
    expect(() => services.resolution.resolve('aws', 'production')).toThrow(
      expect.objectContaining({ code: 'VAULT_LOCKED' }),
    )
  })
})

describe('ResolutionService.use', () => {
  it('records usage for a resolution that leads to use, and nothing for a failed one', async () => {
    let now = new Date('2026-04-01T08:00:00Z')
    const { services } = await unlockedServices()
    Object.assign(services.usage, { now: () => now })
    const env = environmentIds(services)
    const a = services.connections.create(connectionInput('aws', 'a')).id
    const other = services.connections.create(connectionInput('github', 'other')).id
    services.authorizations.applyChanges({
      grants: [
        { connectionId: a, environmentId: env.staging! },
        { connectionId: a, environmentId: env.development! },
      ],
    })
    services.resolution.use('aws', 'staging', undefined, 'exec')
    now = new Date('2026-04-01T09:00:00Z')
    services.resolution.use('aws', 'staging', 'a', 'exec')
    now = new Date('2026-04-01T10:00:00Z')
    services.resolution.use('aws', 'development', undefined, 'verify')
    expect(() => services.resolution.use('aws', 'production', 'a', 'exec')).toThrow(
      expect.objectContaining({ code: 'NOT_AUTHORIZED' }),
    )

    const usage = services.usage.usageFor(a)
    expect(usage).toMatchObject({
      connectionId: a,
      lastUsedAt: '2026-04-01T10:00:00.000Z',
      total: 3,
      byEnvironment: [
        { environmentName: 'development', count: 1 },
        { environmentName: 'staging', count: 2 },
      ],
      byOperation: [
        { operation: 'verify', count: 1 },
        { operation: 'exec', count: 2 },
      ],
    })
    expect(usage.entries).toContainEqual({
      environmentId: env.staging,
      environmentName: 'staging',
      operation: 'exec',
      count: 2,
      firstUsedAt: '2026-04-01T08:00:00.000Z',
      lastUsedAt: '2026-04-01T09:00:00.000Z',
    })
    // "Last used" in the connection list, filled by the list's one joined query.
    expect(
      services.connections.list().map(({ name, lastUsedAt }) => ({ name, lastUsedAt })),
    ).toEqual([
      { name: 'a', lastUsedAt: '2026-04-01T10:00:00.000Z' },
      { name: 'other', lastUsedAt: null },
    ])
    expect(services.usage.usageFor(other)).toMatchObject({ lastUsedAt: null, total: 0 })
    // History outlives a deleted environment (its name is then unknown).
    services.environments.delete({ id: env.development!, force: true })
    expect(services.usage.usageFor(a).byEnvironment).toContainEqual(
      expect.objectContaining({ environmentId: env.development, environmentName: null }),
    )
    expect(() => services.usage.recordUse(a, env.staging!, 'Bad Op')).toThrow(
      expect.objectContaining({ code: 'VALIDATION' }),
    )
    expect(() => services.usage.recordUse('gone', env.staging!, 'exec')).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    )
  })
})

describe('ResolutionService: use-only connections from a share', () => {
  it('resolves within the share’s scope until it expires, then refuses however it is asked', async () => {
    const { a, b } = await twoVaults()
    const { bInA } = await exchangeAddresses(a, b)
    const sent = a.services.connections.create(connectionInput('aws', 'shared-aws'))
    const share = await a.services.sharing.export({
      connectionIds: [sent.id],
      to: { kind: 'contacts', contactIds: [bInA] },
      environments: ['staging'],
      expiresInDays: 2,
    })
    const { created } = await b.services.sharing.importApply({
      source: { data: share.bytes },
      shareId: share.shareId,
    })
    const id = created[0]!.id
    const env = environmentIds(b.services)
    b.services.environments.setDefault({
      environmentId: env.staging!,
      provider: 'aws',
      connectionId: id,
    })
    let now = new Date()
    Object.assign((b.services.resolution as unknown as { options: object }).options, {
      now: () => now,
    })
    expect(b.services.resolution.resolve('aws', 'staging').via).toBe('default')
    expect(b.services.resolution.resolve('aws', 'staging', 'shared-aws').connection.id).toBe(id)

    now = new Date(Date.parse(share.expiresAt) + 1)
    for (const name of [undefined, 'shared-aws']) {
      expect(() => b.services.resolution.use('aws', 'staging', name, 'exec')).toThrow(
        expect.objectContaining({
          code: 'SHARE_EXPIRED',
          message: `Connection shared-aws (shared by Alice) expired on ${share.expiresAt} and is disabled.`,
          hint: 'Ask Alice for a new share, or move it to the trash.',
        }),
      )
    }
    b.services.environments.setDefault({
      environmentId: env.staging!,
      provider: 'aws',
      connectionId: null,
    })
    expect(() => b.services.resolution.resolve('aws', 'staging')).toThrow(
      expect.objectContaining({ code: 'SHARE_EXPIRED' }),
    )
    expect(b.services.usage.usageFor(id).total).toBe(0)
    // The sender's own connection is not affected by the share's expiry.
    a.services.authorizations.applyChanges({
      grants: [{ connectionId: sent.id, environmentId: environmentIds(a.services).staging! }],
    })
    Object.assign((a.services.resolution as unknown as { options: object }).options, {
      now: () => now,
    })
    expect(a.services.resolution.resolve('aws', 'staging').connection.id).toBe(sent.id)
  })
})
