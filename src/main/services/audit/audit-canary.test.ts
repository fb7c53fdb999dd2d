import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { auditActions } from '../../../shared/audit'
import type { IpcResult } from '../../../shared/ipc/result'
import { providers } from '../../../shared/providers'
import { canaryValues } from '../../../../test/catalog-values'
import { freshServices, unlockedServices } from '../../../../test/services'
import { secretsForUse } from '../references/secrets-for-use'

const hex = (bytes: number) => randomBytes(bytes).toString('hex')

/** A home folder whose AWS credentials and kubeconfig hold random canary secrets. */
function canaryHome(canaries: string[]): string {
  const home = mkdtempSync(join(tmpdir(), 'bk-canary-home-'))
  const secretKey = randomBytes(30).toString('base64').replace(/[+/]/g, 'x').slice(0, 40)
  const token = `tok${hex(20)}`
  canaries.push(secretKey, token)
  mkdirSync(join(home, '.aws'))
  writeFileSync(
    join(home, '.aws', 'credentials'),
    `[imported]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${secretKey}\nregion = eu-west-1\n`,
  )
  mkdirSync(join(home, '.kube'))
  writeFileSync(
    join(home, '.kube', 'config'),
    `apiVersion: v1
kind: Config
clusters:
  - name: c
    cluster: { server: 'https://k8s.example.com:6443', insecure-skip-tls-verify: true }
users:
  - name: u
    user: { token: ${token} }
contexts:
  - name: kctx
    context: { cluster: c, user: u }
`,
  )
  return home
}

describe('the audit trail never holds a secret value', () => {
  it('records every action with random canary secrets, and no entry contains any of them', async () => {
    const canaries: string[] = []
    const { call, services } = freshServices({ home: canaryHome(canaries) })
    const ok = async <T = unknown>(channel: string, input?: unknown): Promise<T> => {
      const result = (await call(channel, input)) as IpcResult<T>
      if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`)
      return result.value
    }
    const fails = async (channel: string, input?: unknown) => {
      const result = await call(channel, input)
      expect(result.ok, channel).toBe(false)
    }
    const passphrase = () => {
      const value = `canary ${hex(12)} horse`
      canaries.push(value, value.split(' ')[1]!)
      return value
    }

    // The vault: create, failed unlocks (wrong passphrase, malformed and wrong recovery keys).
    const first = passphrase()
    const { recoveryKey } = await ok<{ recoveryKey: string }>('vault:create', {
      mode: 'passphrase',
      passphrase: first,
    })
    canaries.push(recoveryKey)
    await ok('vault:lock')
    await fails('vault:unlock', { method: 'passphrase', passphrase: passphrase() })
    const badRecoveryKey = `canary-${hex(16)}`
    canaries.push(badRecoveryKey)
    await fails('vault:unlock', { method: 'recovery', recoveryKey: badRecoveryKey })
    await ok('vault:unlock', { method: 'passphrase', passphrase: first })

    // Connections of every provider and auth mode, with every secret operation.
    const secretFields: { id: string; field: string }[] = []
    for (const provider of providers) {
      for (const authMode of provider.authModes) {
        const planted = canaryValues(provider, authMode)
        canaries.push(...planted.canaries)
        const created = await ok<{ id: string; secrets: { field: string }[] }>(
          'connections:create',
          {
            name: `${provider.id}-${authMode}`,
            provider: provider.id,
            authMode,
            values: planted.values,
          },
        )
        await ok('connections:update', { id: created.id, notes: 'edited', labels: ['team'] })
        const fresh = canaryValues(provider, authMode)
        const secrets = Object.fromEntries(
          provider.fields
            .filter((f) => f.secret && f.key in fresh.values)
            .map((f) => [f.key, fresh.values[f.key]!]),
        )
        if (Object.keys(secrets).length > 0) {
          canaries.push(...fresh.canaries)
          await ok('connections:rotate', { id: created.id, secrets })
        }
        for (const { field } of created.secrets) secretFields.push({ id: created.id, field })
      }
    }
    for (const target of secretFields) {
      await ok('connections:reveal', target)
      await ok('connections:copy', target)
    }
    // A field key the page sent is named in the entry (a key, not a value).
    await fails('connections:reveal', { id: secretFields[0]!.id, field: `canary-${hex(8)}` })
    const [first_, second] = secretFields.map((s) => s.id).filter((v, i, a) => a.indexOf(v) === i)
    await ok('connections:trash', { id: first_ })
    await ok('connections:restore', { id: first_ })
    await ok('connections:trash', { id: second })
    await ok('connections:purge', { id: second })

    // A secret reference read for a use (connection.reference-resolved): the value it gave is a
    // canary, found nowhere in the trail; one that fails names the reference, not the value.
    const referenced = await ok<{ id: string }>('connections:create', {
      name: 'referenced-github',
      provider: 'github',
      authMode: 'inline',
      values: {},
      references: { token: { env: { name: 'BK_CANARY_TOKEN' } } },
    })
    const referencedValue = `ghp_${randomBytes(27).toString('base64url').replace(/[-_]/g, 'x').slice(0, 36)}`
    canaries.push(referencedValue)
    const { id: envId, name: envName, slug } = services.environments.findByRef('staging')
    const useIn = { id: envId, name: envName, slug }
    await secretsForUse(services, referenced.id, {
      environment: useIn,
      env: { BK_CANARY_TOKEN: referencedValue },
    })
    const notAToken = `canary-${hex(16)}`
    canaries.push(notAToken)
    await expect(
      secretsForUse(services, referenced.id, {
        environment: useIn,
        env: { BK_CANARY_TOKEN: notAToken },
      }),
    ).rejects.toThrow(/could not be read from env:BK_CANARY_TOKEN/)

    // Imports read secrets from files in main; the trail names profiles, never keys.
    await ok('imports:importAwsProfiles', { items: [{ source: 'imported', name: 'aws-imported' }] })
    await ok('imports:importKubeContexts', { items: [{ source: 'kctx', name: 'k8s-imported' }] })

    // Environments, the matrix, defaults.
    const env = await ok<{ id: string }>('environments:create', { name: 'qa', description: 'x' })
    await ok('environments:update', { id: env.id, name: 'QA', color: '#123456', description: 'y' })
    await ok('environments:setProtected', { id: env.id, protected: true })
    const list = await ok<{ id: string; name: string }[]>('environments:list')
    await ok('environments:reorder', { ids: list.map((e) => e.id).reverse() })
    const awsId = (await ok<{ id: string; provider: string }[]>('connections:list')).find(
      (c) => c.provider === 'aws',
    )!.id
    await ok('environments:applyChanges', {
      grants: list.map((e) => ({ connectionId: awsId, environmentId: e.id })),
      confirmProtected: true,
    })
    await ok('environments:undoLastChange', { confirmProtected: true })
    await ok('environments:setAuthorizations', {
      connectionId: awsId,
      environmentIds: [list[0]!.id],
      confirmProtected: true,
    })
    await ok('environments:setDefault', {
      environmentId: list[0]!.id,
      provider: 'aws',
      connectionId: awsId,
    })
    await ok('environments:delete', { id: env.id, force: true, confirmProtected: true })

    // Health: a schedule set and switched off (verifying needs a runner, see below).
    await ok('health:setInterval', { connectionId: awsId, intervalMinutes: 90 })
    await ok('health:setInterval', { connectionId: awsId, intervalMinutes: null })

    // Sharing: identity, contacts, exports (to a contact, to a passphrase), imports (the
    // contact's changed keys trusted, one refused), revocation. A peer vault sends and receives;
    // the contact holds the keys of the peer's old laptop, so the import updates it.
    await ok('sharing:identity')
    await ok('sharing:setName', { name: 'Canary Tester' })
    const peer = await unlockedServices()
    await peer.services.sharing.setName({ name: 'Peer' })
    const oldLaptop = await unlockedServices()
    const contact = await ok<{ id: string }>('sharing:addContact', {
      name: 'Peer',
      address: (await oldLaptop.services.sharing.identity()).address,
    })
    await ok('sharing:verifyContact', { id: contact.id, verified: true })
    const sharePassphrase = passphrase()
    const sent = await ok<{ shareId: string }>('sharing:export', {
      connectionIds: [awsId],
      to: { kind: 'contacts', contactIds: [contact.id] },
      environments: ['staging'],
    })
    await ok('sharing:export', {
      connectionIds: [awsId],
      to: { kind: 'passphrase', passphrase: sharePassphrase },
      environments: ['staging'],
      useOnly: false,
    })
    await ok('sharing:revoke', { id: sent.shareId })
    const peerAws = peer.services.connections.create({
      name: 'peer-aws',
      provider: 'aws',
      authMode: 'inline',
      values: canaryValues(
        providers.find((p) => p.id === 'aws')!,
        'inline',
      ).values,
    })
    const peerPlanted = peer.services.connections.storedSecrets(peerAws.id).secrets
    canaries.push(...Object.values(peerPlanted))
    const ours = (await ok<{ address: string }>('sharing:identity')).address
    const meInPeer = await peer.services.sharing.addContact({ name: 'Tester', address: ours })
    const incoming = await peer.services.sharing.export({
      connectionIds: [peerAws.id],
      to: { kind: 'contacts', contactIds: [meInPeer.id] },
      environments: ['staging'],
    })
    const file = Buffer.from(incoming.bytes).toString('base64')
    await ok('sharing:importPreview', { file })
    const damaged = Buffer.from(incoming.bytes)
    damaged[damaged.length - 5]! ^= 1
    await fails('sharing:importPreview', { file: damaged.toString('base64') })
    await ok('sharing:importApply', {
      source: { text: incoming.armored },
      shareId: incoming.shareId,
      trustSender: true,
      choices: [{ slug: 'peer-aws', action: 'rename', name: 'peer aws' }],
    })
    await ok('sharing:deleteContact', { id: contact.id })

    // Rewrap both ways, re-encrypt (a wrong passphrase first), lock.
    await ok('vault:rewrap', { with: 'passphrase', passphrase: passphrase() })
    await ok('vault:rewrap', { with: 'keychain' })
    canaries.push((await ok<{ recoveryKey: string }>('vault:reencrypt', {})).recoveryKey)
    const last = passphrase()
    await ok('vault:rewrap', { with: 'passphrase', passphrase: last })
    await fails('vault:reencrypt', { passphrase: passphrase() })
    const { recoveryKey: currentRecoveryKey } = await ok<{ recoveryKey: string }>(
      'vault:reencrypt',
      { passphrase: last },
    )
    canaries.push(currentRecoveryKey)
    await ok('vault:lock')
    await ok('vault:unlock', { method: 'passphrase', passphrase: last })

    // Back up twice and restore the second backup, whose snapshot holds the first one's entry.
    await ok('backup:create')
    const backup = await ok<{ base64: string }>('backup:create')
    await ok('backup:restore', {
      base64: backup.base64,
      recoveryKey: currentRecoveryKey,
      replaceExisting: true,
    })

    // Every kind of action is in the trail...
    const recorded = new Set(services.audit.query({ limit: 1000 }).entries.map((e) => e.action))
    // The CLI's actions are recorded by the CLI (src/cli/cli-canary.test.ts checks them there);
    // runner.* actions need real runner processes (src/main/runner-host/runner-canary.test.ts), and
    // so does connection.verify (src/main/services/health/health-service.test.ts plants canary
    // keys, verifies right and wrong ones, and greps its trail); agent.refused needs a running
    // agent (src/cli/agent-faults.test.ts sends it canaries and greps its answers and logs);
    // aws-console needs a runner, STS and a federation endpoint (src/cli/aws-console.test.ts greps
    // its trail for the session keys, the sign-in token and the link); IAM Identity Center
    // sign-in and sign-out need the loopback SSO endpoints (src/cli/aws-sso.test.ts and
    // src/cli/aws-sso-logout.test.ts grep their trails for every token and secret handed out);
    // credential-helper needs git, docker and kubectl calling the CLI
    // (src/cli/credential-helpers.test.ts greps its trail and outputs for canary tokens);
    // reference.read needs a Kubernetes API server to read from
    // (src/main/services/references/kubernetes-reference.test.ts greps its trail, database rows
    // and log for the token and every value read);
    // the team actions need a PostgreSQL server (src/main/services/teams/team-postgres.test.ts
    // and src/cli/team.test.ts grep the trail, every team table, the server's log and WAL for
    // the members' private keys and the database passwords); a team runner's answers and the
    // credentials a member receives need PostgreSQL and STS (src/main/services/teams/
    // team-runner.test.ts greps both vaults' trails, every team table, the WAL and the server's
    // log for the long-lived key and every issued session's secrets); team connections pushed,
    // used through a team runner and removed need both (src/cli/team-story.test.ts greps every
    // table, the WAL, every output and log, and the use-only member's vault for the secret); a
    // team secret dismissed as rotated elsewhere needs a removal on PostgreSQL first
    // (src/main/services/teams/team-rotations.test.ts greps the trail for the secrets).
    const cliOnly = new Set([
      'team.create',
      'team.join',
      'team.invite',
      'team.remove',
      'team.role',
      'team.connect',
      'team.answer',
      'team.credentials',
      'team.push',
      'team.sync',
      'team.env',
      'team.use',
      'team.rm',
      'team.rotated-elsewhere',
      'exec',
      'credential-process',
      'credential-helper',
      'connection.verify',
      'agent.refused',
      'aws-console',
      'aws-sso.sign-in',
      'aws-sso.sign-out',
      'reference.read',
    ])
    expect(
      [...auditActions].filter(
        (action) => !action.startsWith('runner.') && !recorded.has(action) && !cliOnly.has(action),
      ),
    ).toEqual([])
    const failures = services.audit
      .query({ filter: { outcome: 'failure' }, limit: 100 })
      .entries.map((e) => `${e.action}: ${e.detail}`)
    expect(failures).toEqual([
      'vault.reencrypt: New data key; WRONG_PASSPHRASE',
      'share.import: Preview refused; SHARE_TAMPERED',
      expect.stringMatching(
        /^connection\.reference-resolved: Personal access token from env:BK_CANARY_TOKEN: the value it gave is not a valid Personal access token \(/,
      ) as string,
      expect.stringMatching(/^connection\.reveal: Field canary-[0-9a-f]{16}; NOT_FOUND$/) as string,
      'vault.unlock: With recovery; RECOVERY_KEY_INVALID',
      'vault.unlock: With passphrase; WRONG_PASSPHRASE',
    ])

    // ...and no entry, export or database row of the trail holds a secret.
    expect(canaries.length).toBeGreaterThan(providers.length)
    const raw = new BetterSqlite3(services.vault.path, { readonly: true })
    const rows = JSON.stringify(raw.prepare('SELECT * FROM audit_log').all())
    // Nor do the records of shares, contacts and imports.
    const sharingRows = JSON.stringify(
      ['shares', 'received_shares', 'contacts', 'sharing_identity'].map((table) =>
        raw.prepare(`SELECT * FROM ${table}`).all(),
      ),
    )
    raw.close()
    const exports = [
      (await ok<{ content: string }>('audit:export', { format: 'jsonl' })).content,
      (await ok<{ content: string }>('audit:export', { format: 'csv' })).content,
      JSON.stringify(await ok('audit:query', { limit: 1000 })),
    ]
    for (const canary of canaries) {
      for (const text of [rows, sharingRows, ...exports]) {
        expect(text.includes(canary), `canary ${canary.slice(0, 6)}…`).toBe(false)
      }
    }
    expect(await ok('audit:verify')).toMatchObject({ ok: true, brokenCount: 0 })
  }, 60_000)
})
