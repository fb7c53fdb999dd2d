import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { BridgekeepError } from '../../../shared/errors'
import { parseReferenceText } from '../../../shared/secret-reference'
import { unlockedServices } from '../../../../test/services'
import { canary } from '../../../../test/fixtures/canary'
import { encryptField } from '../../security/envelope'
import { secretsForUse } from '../references/secrets-for-use'

/** A reference whose text is random, so that the vault file can be searched for it. */
function randomReference() {
  const name = `BK_REF_${randomBytes(8).toString('hex').toUpperCase()}`
  return { text: `env:${name}`, name, ref: parseReferenceText(`env:${name}`) }
}

const ghToken = () => `ghp_${canary.alnum(36)}`

/** The bytes of the vault and its write-ahead log, where a plaintext would show. */
function vaultBytes(path: string): string {
  const files = [path, `${path}-wal`]
  return files
    .map((file) => {
      try {
        return readFileSync(file).toString('latin1')
      } catch {
        return ''
      }
    })
    .join('')
}

function issuesOf(work: () => unknown): { field: string; message: string }[] {
  try {
    work()
  } catch (error) {
    expect(error).toBeInstanceOf(BridgekeepError)
    return (error as BridgekeepError).issues ?? [{ field: '', message: (error as Error).message }]
  }
  throw new Error('expected a refusal')
}

describe('secret references in the vault', () => {
  it('are sealed like values: nothing of the reference or its marker is in the file', async () => {
    const { services } = await unlockedServices()
    const { name, text, ref } = randomReference()
    const created = services.connections.create({
      name: 'ci-github',
      provider: 'github',
      authMode: 'inline',
      values: {},
      references: { token: ref },
    })
    // The details show where it points, and no mask.
    expect(created.secrets).toEqual([{ field: 'token', reference: text, damaged: false }])
    // It round-trips out of the vault as a reference, never as a value.
    expect(services.connections.storedSecrets(created.id)).toEqual({
      version: 1,
      secrets: {},
      references: { token: ref },
    })
    const bytes = vaultBytes(services.vault.path)
    expect(bytes).not.toContain(name)
    expect(bytes).not.toContain('bridgekeep-reference')
    // A re-encryption under a new data key keeps it.
    await services.vaultLifecycle.reencrypt({})
    expect(services.connections.storedSecrets(created.id).references).toEqual({ token: ref })
  })

  it('reveal and copy say the field is a reference, and hand out nothing', async () => {
    const { services } = await unlockedServices()
    const { text, ref } = randomReference()
    const created = services.connections.create({
      name: 'ci-github',
      provider: 'github',
      authMode: 'inline',
      values: {},
      references: { token: ref },
    })
    expect(() => services.connections.reveal(created.id, 'token')).toThrow(
      `Connection "ci-github": Personal access token is a reference (${text}), not a stored value; it is read at each use.`,
    )
    const [entry] = services.audit.query({ filter: { actions: ['connection.reveal'] } }).entries
    expect(entry).toMatchObject({ outcome: 'failure', detail: 'Field token; NOT_SUPPORTED' })
  })

  it('rotate to a value ends the reference; a new reference ends the value; each is a version', async () => {
    const { services } = await unlockedServices()
    const first = randomReference()
    const created = services.connections.create({
      name: 'ci-github',
      provider: 'github',
      authMode: 'inline',
      values: {},
      references: { token: first.ref },
    })
    const token = ghToken()
    const valued = services.connections.rotate({ id: created.id, secrets: { token } })
    expect(valued.secretVersion).toBe(2)
    expect(valued.secrets[0]).toMatchObject({ field: 'token', masked: expect.any(String) })
    expect(valued.secrets[0]!.reference).toBeUndefined()
    expect(services.connections.storedSecrets(created.id)).toMatchObject({
      secrets: { token },
      references: {},
    })
    const second = randomReference()
    const again = services.connections.update({ id: created.id, references: { token: second.ref } })
    expect(again.secretVersion).toBe(3)
    expect(again.secrets).toEqual([{ field: 'token', reference: second.text, damaged: false }])
    // An operation that started on an older version still reads what that version held.
    expect(services.connections.storedSecrets(created.id, 1).references).toEqual({
      token: first.ref,
    })
    expect(services.connections.storedSecrets(created.id, 2).secrets).toEqual({ token })
    // The trail names fields, never a value or a reference's target.
    const details = services.audit
      .query({ filter: { actions: ['connection.rotate'] } })
      .entries.map((e) => e.detail)
    expect(details).toEqual(['Secret version 3: token', 'Secret version 2: token'])
  })

  it('an edit that leaves the field empty keeps its reference (like a kept value)', async () => {
    const { services } = await unlockedServices()
    const { text, ref } = randomReference()
    const created = services.connections.create({
      name: 'db',
      provider: 'postgres',
      authMode: 'inline',
      values: { host: 'db.example.com', port: '5432', database: 'app', user: 'app' },
      references: { password: ref },
    })
    const edited = services.connections.update({
      id: created.id,
      values: { password: '', host: 'db2.example.com' },
      notes: 'moved',
    })
    expect(edited.secretVersion).toBe(1)
    expect(edited.config.host).toBe('db2.example.com')
    expect(edited.secrets).toEqual([{ field: 'password', reference: text, damaged: false }])
  })

  it('a referenced secret satisfies a required one, and cross-field checks treat it as kept', async () => {
    const { services } = await unlockedServices()
    // AWS needs both keys; with a reference for the secret key, the pair rule is satisfied.
    const created = services.connections.create({
      name: 'prod-aws',
      provider: 'aws',
      authMode: 'inline',
      values: { access_key_id: canary.awsKeyId(), default_region: 'eu-west-1' },
      references: { secret_access_key: parseReferenceText('command:pass show aws/prod') },
    })
    expect(created.secrets.map((s) => [s.field, s.reference])).toEqual([
      ['access_key_id', undefined],
      ['secret_access_key', 'command:pass show aws/prod'],
    ])
  })

  it('refuses references that do not fit, naming the field, and writes nothing', async () => {
    const { services } = await unlockedServices()
    const ref = parseReferenceText('env:X_TOKEN')
    const base = { name: 'x', provider: 'github', authMode: 'inline' }
    expect(
      issuesOf(() =>
        services.connections.create({
          ...base,
          values: { api_url: 'https://github.example.com/api/v3' },
          references: { api_url: ref },
        }),
      ),
    ).toContainEqual({
      field: 'api_url',
      message:
        'API base URL: is not a secret field of GitHub; only secret fields may be references. Give its value instead.',
    })
    expect(
      issuesOf(() =>
        services.connections.create({ ...base, values: {}, references: { nope: ref } }),
      ),
    ).toEqual([{ field: 'nope', message: 'Reference for "nope": GitHub has no such field.' }])
    expect(
      issuesOf(() =>
        services.connections.create({
          ...base,
          values: { token: ghToken() },
          references: { token: ref },
        }),
      ),
    ).toEqual([
      { field: 'token', message: 'Personal access token: give a value or a reference, not both.' },
    ])
    expect(
      issuesOf(() =>
        services.connections.create({
          name: 'aws',
          provider: 'aws',
          authMode: 'runner-delegated',
          values: { default_region: 'eu-west-1' },
          references: { secret_access_key: ref },
        }),
      )[0]!.message,
    ).toMatch(
      /^Secret access key: does not apply to Amazon Web Services with runner-delegated authentication/,
    )
    // A value can never pass for a sealed reference.
    expect(
      issuesOf(() =>
        services.connections.create({
          ...base,
          values: { token: `\u0000bridgekeep-reference\u0000{"env":{"name":"HOME"}}` },
        }),
      ),
    ).toContainEqual({
      field: 'token',
      message: 'Personal access token: must not contain NUL characters.',
    })
    // A malformed reference is refused by the contract's schema.
    expect(() =>
      services.connections.create({
        ...base,
        values: {},
        references: { token: { env: { name: '1BAD' } } },
      }),
    ).toThrow(/Environment variable: letters, digits and "_"/)
    expect(services.connections.list()).toEqual([])
  })

  it('a share refuses a connection with a reference, naming it and the field', async () => {
    const { services } = await unlockedServices()
    const created = services.connections.create({
      name: 'ci-github',
      provider: 'github',
      authMode: 'inline',
      values: {},
      references: { token: parseReferenceText('env:GITHUB_TOKEN') },
    })
    await expect(
      services.sharing.export({
        connectionIds: [created.id],
        to: { kind: 'passphrase', passphrase: 'correct horse battery staple 42' },
        environments: ['staging'],
      }),
    ).rejects.toThrow(
      '"ci-github" (Personal access token) holds a reference instead of a value: a share carries values, and the recipient could not read your environment variables, files or commands.',
    )
  })

  it('a use-only connection (shared with me) cannot be turned into references', async () => {
    const { services } = await unlockedServices()
    const created = services.connections.create({
      name: 'shared-github',
      provider: 'github',
      authMode: 'inline',
      values: { token: ghToken() },
    })
    // What importing a use-only share records (sharing/share-import.ts).
    services.vault
      .database()
      .prepare('UPDATE connections SET use_only = 1 WHERE id = ?')
      .run(created.id)
    expect(() =>
      services.connections.update({
        id: created.id,
        references: { token: parseReferenceText('env:MINE') },
      }),
    ).toThrow('Connection "shared-github" is use-only')
    expect(services.connections.storedSecrets(created.id).references).toEqual({})
  })
})

describe('a value stored before references existed', () => {
  // The release before references stored values as they were typed or imported (a share, a
  // kubeconfig or docker config import, a backup), and several secret fields (a Kubernetes
  // token, a Git token, an Azure client secret...) accepted NUL. A value planted then that reads
  // like today's sealed reference must stay a value: a command reference would run a program.
  it('is never read as a reference, whatever its text', async () => {
    const { services } = await unlockedServices()
    const proof = join(mkdtempSync(join(tmpdir(), 'bk-planted-')), 'ran')
    const created = services.connections.create({
      name: 'cluster',
      provider: 'kubernetes',
      authMode: 'inline',
      values: { source: 'token', server: 'https://127.0.0.1:6443', token: canary.alnum(40) },
    })
    const planted = `\u0000bridgekeep-reference\u0000${JSON.stringify({ command: { argv: ['touch', proof] } })}`
    // Exactly what the previous release wrote for a value: its UTF-8, sealed to its field.
    const ciphertext = encryptField(services.vault.requireKey(), planted, {
      vaultId: services.vault.vaultId(),
      connectionId: created.id,
      field: 'token',
      secretVersion: 1,
    })
    services.vault
      .database()
      .prepare('UPDATE secret_fields SET ciphertext = ? WHERE connection_id = ? AND field = ?')
      .run(ciphertext, created.id, 'token')
    expect(services.connections.storedSecrets(created.id)).toEqual({
      version: 1,
      secrets: { token: planted },
      references: {},
    })
    expect(services.connections.get(created.id).secrets).toMatchObject([
      { field: 'token', damaged: false },
    ])
    expect(services.connections.get(created.id).secrets[0]).not.toHaveProperty('reference')
    const env = services.environments.findByRef('staging')
    await secretsForUse(services, created.id, {
      environment: { id: env.id, name: env.name, slug: env.slug },
      env: { PATH: process.env.PATH ?? '' },
    }).catch(() => undefined)
    // After a re-encryption under a new data key too.
    await services.vaultLifecycle.reencrypt({})
    expect(services.connections.storedSecrets(created.id).references).toEqual({})
    expect(existsSync(proof)).toBe(false)
  })
})
