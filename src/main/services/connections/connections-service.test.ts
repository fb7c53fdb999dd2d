import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { providers, validateConnectionValues, type AuthMode } from '../../../shared/providers'
import { canaryValues, exampleValues } from '../../../../test/catalog-values'
import { dispatch } from '../../ipc/dispatch'
import { createHandlerRegistry } from '../../ipc/registry'
import { memoryLogger } from '../../log'
import { MemoryKeyStore } from '../../security/keystore'
import { createServices } from '..'

const everyProviderMode = providers.flatMap((provider) =>
  provider.authModes.map((authMode) => [provider.id, authMode as AuthMode, provider] as const),
)

async function unlockedServices(now?: () => Date) {
  const log = memoryLogger()
  const dataDir = mkdtempSync(join(tmpdir(), 'bk-conn-'))
  const services = createServices({
    dataDir,
    appInfo: { name: 'Bridgekeep', version: 'test', platform: 'linux', host: 'electron' },
    log,
    keyStore: new MemoryKeyStore(),
  })
  const { recoveryKey } = await services.vault.create({ mode: 'keychain' })
  if (now) Object.assign(services.connections, { now })
  return { services, log, dataDir, recoveryKey }
}

const github = (name: string, values?: Record<string, string>) => {
  const provider = providers.find((p) => p.id === 'github')!
  return {
    name,
    provider: 'github',
    authMode: 'inline',
    values: values ?? exampleValues(provider, 'inline'),
  }
}

describe('ConnectionsService', () => {
  it.each(everyProviderMode)(
    'creates a %s connection (%s) and shows its secrets only masked',
    async (id, authMode, provider) => {
      const { services } = await unlockedServices()
      const { values, canaries } = canaryValues(provider, authMode)
      const detail = services.connections.create({
        name: `My ${provider.label}`,
        provider: id,
        authMode,
        values,
      })
      expect(detail).toMatchObject({ provider: id, authMode, secretVersion: 1, deletedAt: null })
      const secretKeys = provider.fields
        .filter((f) => f.secret && f.key in values)
        .map((f) => f.key)
      expect(detail.secrets.map((s) => s.field).sort()).toEqual(secretKeys.sort())
      for (const secret of detail.secrets) expect(secret.masked).toMatch(/^•+/)
      for (const canary of canaries) expect(JSON.stringify(detail)).not.toContain(canary)
      expect(services.connections.list().map((c) => c.id)).toEqual([detail.id])
    },
  )

  it.each(providers.map((p) => [p.id, p] as const))(
    'refuses a bad %s value, naming the field, and saves nothing',
    async (id, provider) => {
      const { services } = await unlockedServices()
      const authMode = provider.defaultAuthMode
      const values = exampleValues(provider, authMode)
      // The first field (secrets first) that some clearly bad value makes invalid.
      const candidates = [...provider.fields]
        .sort((a, b) => Number(b.secret) - Number(a.secret))
        .filter((f) => f.key in values)
      let target: (typeof candidates)[number] | undefined
      let bad: Record<string, string> = {}
      search: for (const field of candidates) {
        for (const value of ['Zq9', '%%%Zq9', 'not a valid value at all Zq9!']) {
          const attempt = { ...values, [field.key]: value }
          const result = validateConnectionValues(id, authMode, attempt)
          if (!result.ok && result.issues.some((issue) => issue.field === field.key)) {
            target = field
            bad = attempt
            break search
          }
        }
      }
      expect(target, `a field of ${id} that rejects a bad value`).toBeDefined()
      let thrown: unknown
      try {
        services.connections.create({ name: 'bad', provider: id, authMode, values: bad })
      } catch (error) {
        thrown = error
      }
      expect(thrown).toMatchObject({ code: 'VALIDATION' })
      const issues = (thrown as { issues: { field: string; message: string }[] }).issues
      const issue = issues.find((i) => i.field === target!.key)!
      expect(issue.message.startsWith(target!.label)).toBe(true)
      if (target!.secret) expect(issue.message).not.toContain(bad[target!.key])
      expect(services.connections.list()).toEqual([])
    },
  )

  it('derives unique slugs and refuses a taken one', async () => {
    const { services } = await unlockedServices()
    expect(services.connections.create(github('Prod GitHub')).slug).toBe('prod-github')
    expect(services.connections.create(github('Prod GitHub')).slug).toBe('prod-github-2')
    expect(() => services.connections.create({ ...github('Other'), slug: 'prod-github' })).toThrow(
      expect.objectContaining({
        code: 'VALIDATION',
        issues: [expect.objectContaining({ field: 'slug' })],
      }),
    )
  })

  it('rotation writes a new version; pinned older versions stay readable; old ones are pruned', async () => {
    const { services } = await unlockedServices()
    const provider = providers.find((p) => p.id === 'github')!
    const first = canaryValues(provider, 'inline').values
    const created = services.connections.create(github('gh', first))
    const secretField = provider.fields.find((f) => f.secret && f.key in first)!.key

    const edited = services.connections.update({ id: created.id, notes: 'no secret change' })
    expect(edited.secretVersion).toBe(1)

    const second = canaryValues(provider, 'inline').values[secretField]!
    const rotated = services.connections.rotate({
      id: created.id,
      secrets: { [secretField]: second },
    })
    expect(rotated.secretVersion).toBe(2)
    expect(services.connections.storedSecrets(created.id).secrets[secretField]).toBe(second)
    expect(services.connections.storedSecrets(created.id, 1).secrets[secretField]).toBe(
      first[secretField],
    )

    for (let i = 0; i < 7; i++) {
      services.connections.rotate({
        id: created.id,
        secrets: { [secretField]: canaryValues(provider, 'inline').values[secretField]! },
      })
    }
    const versions = services.connections.get(created.id).versions.map((v) => v.version)
    expect(versions).toEqual([9, 8, 7, 6, 5, 4])
    expect(() => services.connections.storedSecrets(created.id, 1)).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    )
  })

  it('rotate refuses non-secret fields and an empty rotation', async () => {
    const { services } = await unlockedServices()
    const created = services.connections.create(github('gh'))
    expect(() => services.connections.rotate({ id: created.id, secrets: {} })).toThrow(
      expect.objectContaining({ code: 'VALIDATION' }),
    )
    const plain = providers.find((p) => p.id === 'github')!.fields.find((f) => !f.secret)!
    expect(() =>
      services.connections.rotate({
        id: created.id,
        secrets: { [plain.key]: 'https://x.example' },
      }),
    ).toThrow(expect.objectContaining({ code: 'VALIDATION' }))
  })

  it('trash is restorable for 30 days, purge is explicit, and expired trash is purged', async () => {
    let now = new Date('2026-01-01T00:00:00Z')
    const { services } = await unlockedServices(() => now)
    const a = services.connections.create(github('a'))
    const b = services.connections.create(github('b'))
    services.connections.trash(a.id)
    services.connections.trash(b.id)
    expect(services.connections.list()).toEqual([])
    expect(
      services.connections
        .list({ trash: true })
        .map((c) => c.name)
        .sort(),
    ).toEqual(['a', 'b'])
    expect(() => services.connections.update({ id: a.id, notes: 'x' })).toThrow(
      expect.objectContaining({ code: 'CONFLICT' }),
    )
    services.connections.restore(a.id)
    expect(services.connections.list().map((c) => c.name)).toEqual(['a'])
    expect(() => services.connections.purge(a.id)).toThrow(
      expect.objectContaining({ code: 'CONFLICT' }),
    )

    now = new Date('2026-01-30T00:00:00Z')
    expect(services.connections.purgeExpired()).toBe(0)
    now = new Date('2026-02-01T00:00:00Z')
    expect(services.connections.purgeExpired()).toBe(1)
    expect(services.connections.list({ trash: true })).toEqual([])
  })

  it('names the one connection whose ciphertext was altered in the file; the others still open', async () => {
    const { services } = await unlockedServices()
    const good = services.connections.create(github('good'))
    const victim = services.connections.create(github('victim'))
    const raw = new BetterSqlite3(services.vault.path)
    const row = raw
      .prepare('SELECT field, ciphertext FROM secret_fields WHERE connection_id = ?')
      .get(victim.id) as { field: string; ciphertext: Buffer }
    row.ciphertext[row.ciphertext.length - 5]! ^= 0x01
    raw
      .prepare('UPDATE secret_fields SET ciphertext = ? WHERE connection_id = ? AND field = ?')
      .run(row.ciphertext, victim.id, row.field)
    raw.close()

    const damaged = services.connections.get(victim.id)
    expect(damaged.integrityError).toMatch(
      /^Connection "victim": the stored .+ failed the integrity check/,
    )
    expect(damaged.secrets.find((s) => s.field === row.field)).toEqual({
      field: row.field,
      damaged: true,
    })
    expect(() => services.connections.reveal(victim.id, row.field)).toThrow(
      expect.objectContaining({ code: 'VAULT_INTEGRITY' }),
    )
    expect(services.connections.get(good.id).integrityError).toBeUndefined()
    expect(services.connections.reveal(good.id, row.field)).toBeTruthy()

    // The remedy the message suggests: rotating the damaged secret repairs the connection.
    expect(() => services.connections.update({ id: victim.id, notes: 'x' })).toThrow(
      expect.objectContaining({ code: 'VAULT_INTEGRITY' }),
    )
    const fresh = exampleValues(
      providers.find((p) => p.id === 'github')!,
      'inline',
    )[row.field]!
    const repaired = services.connections.rotate({ id: victim.id, secrets: { [row.field]: fresh } })
    expect(repaired.integrityError).toBeUndefined()
    expect(services.connections.reveal(victim.id, row.field)).toBe(fresh)
  })

  it('a ciphertext moved to another connection does not decrypt there', async () => {
    const { services } = await unlockedServices()
    const a = services.connections.create(github('a'))
    const b = services.connections.create(github('b'))
    const raw = new BetterSqlite3(services.vault.path)
    const row = raw
      .prepare('SELECT field, ciphertext FROM secret_fields WHERE connection_id = ?')
      .get(a.id) as { field: string; ciphertext: Buffer }
    raw
      .prepare('UPDATE secret_fields SET ciphertext = ? WHERE connection_id = ? AND field = ?')
      .run(row.ciphertext, b.id, row.field)
    raw.close()
    expect(services.connections.get(b.id).integrityError).toBeDefined()
  })

  it('never lets canary secrets reach the database file, its WAL, logs or IPC list/detail results', async () => {
    const { services, log } = await unlockedServices()
    const registry = createHandlerRegistry(services)
    const call = (channel: string, input: unknown) =>
      dispatch(registry, channel, input, {
        senderUrl: 'app://bridgekeep/',
        trustedOrigins: ['app://bridgekeep'],
        log,
      })
    const planted: string[] = []
    const identifiers = new Set<string>()
    for (const [id, authMode, provider] of everyProviderMode) {
      const { values, canaries, identifiers: ids } = canaryValues(provider, authMode)
      for (const canary of ids) identifiers.add(canary)
      const result = await call('connections:create', {
        name: `${id}-${authMode}`,
        provider: id,
        authMode,
        values,
      })
      expect(result.ok).toBe(true)
      // Every form that stores a secret gets at least one random canary planted in it.
      if (provider.fields.some((f) => f.secret && f.key in values)) {
        expect(canaries.length, `${id}/${authMode}`).toBeGreaterThan(0)
      }
      planted.push(...canaries)
    }
    expect(planted.length).toBeGreaterThanOrEqual(providers.length - 3) // s3/gcs state and ECR may hold none

    const outputs: string[] = [JSON.stringify(await call('connections:list', {}))]
    const details: string[] = []
    for (const summary of services.connections.list())
      details.push(JSON.stringify(await call('connections:get', { id: summary.id })))
    outputs.push(JSON.stringify(log.lines))
    const db = services.vault.path
    const files = [readFileSync(db), readFileSync(`${db}-wal`)].map((bytes) =>
      bytes.toString('latin1'),
    )
    expect(identifiers.size).toBeGreaterThan(0)
    // Compared without case: a provider may normalize a value (Scaleway's access key is stored
    // in capitals), and a canary must be found in whatever case it was written.
    const lowered = (texts: string[]) => texts.map((text) => text.toLowerCase())
    const [outputsLow, filesLow, detailsLow] = [lowered(outputs), lowered(files), lowered(details)]
    for (const canary of planted) {
      const wanted = canary.toLowerCase()
      for (const text of [...outputsLow, ...filesLow])
        expect(text.includes(wanted), `canary ${canary.slice(0, 4)}…`).toBe(false)
      // The app's details page shows identifiers (access key IDs) in clear, and nothing else.
      const inDetails = detailsLow.some((text) => text.includes(wanted))
      expect(inDetails, `canary ${canary.slice(0, 4)}… in a detail`).toBe(identifiers.has(canary))
    }

    // Positive control: the canaries are really stored, and reveal (the audited way out) finds them.
    const revealed = services.connections
      .list()
      .flatMap((c) =>
        services.connections
          .get(c.id)
          .secrets.map((s) => services.connections.reveal(c.id, s.field)),
      )
    const revealedLow = lowered(revealed)
    for (const canary of planted)
      expect(revealedLow.some((value) => value.includes(canary.toLowerCase()))).toBe(true)
  })

  it('re-encrypting with a new data key keeps every secret and retires the old recovery key', async () => {
    const { services, recoveryKey } = await unlockedServices()
    const provider = providers.find((p) => p.id === 'github')!
    const values = canaryValues(provider, 'inline').values
    const created = services.connections.create(github('gh', values))
    const before = services.connections.storedSecrets(created.id).secrets
    const { recoveryKey: fresh } = await services.vault.replaceDataKey((o, n) =>
      services.connections.reencryptAll(o, n),
    )
    expect(services.connections.storedSecrets(created.id).secrets).toEqual(before)
    services.vault.lock()
    await expect(services.vault.unlock({ method: 'recovery', recoveryKey })).rejects.toMatchObject({
      code: 'WRONG_RECOVERY_KEY',
    })
    await services.vault.unlock({ method: 'recovery', recoveryKey: fresh })
    expect(services.connections.storedSecrets(created.id).secrets).toEqual(before)
  })

  it('refuses everything while locked', async () => {
    const { services } = await unlockedServices()
    const created = services.connections.create(github('gh'))
    services.vault.lock()
    expect(() => services.connections.list()).toThrow(
      expect.objectContaining({ code: 'VAULT_LOCKED' }),
    )
    expect(() => services.connections.get(created.id)).toThrow(
      expect.objectContaining({ code: 'VAULT_LOCKED' }),
    )
    expect(() => services.connections.reveal(created.id, 'x')).toThrow(
      expect.objectContaining({ code: 'VAULT_LOCKED' }),
    )
  })
})

describe('ConnectionsService: reveal and copy', () => {
  it('audits each reveal and copy (the field key, never the value), and a failed one', async () => {
    const { services } = await unlockedServices()
    const created = services.connections.create(github('gh'))
    const field = created.secrets[0]!.field
    const value = services.connections.reveal(created.id, field)
    expect(services.connections.copy(created.id, field)).toEqual({ clearAfterSeconds: 30 })
    expect(() => services.connections.reveal(created.id, 'nope')).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    )
    const entries = services.audit
      .query({ filter: { actions: ['connection.reveal', 'connection.copy'] } })
      .entries.map((e) => [e.action, e.outcome, e.targetId, e.detail])
      .reverse()
    expect(entries).toEqual([
      ['connection.reveal', 'success', created.id, `Field ${field}`],
      ['connection.copy', 'success', created.id, `Field ${field}`],
      ['connection.reveal', 'failure', created.id, 'Field nope; NOT_FOUND'],
    ])
    expect(JSON.stringify(entries)).not.toContain(value)
  })
})
