import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'

import { environmentIds } from '../../test/services'

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
const KEY_ID = 'AKIAIOSFODNN7EXAMPLE'

describe.skipIf(!privateKeyring)('bridgekeep against a real vault (child processes)', SLOW, () => {
  let vault: Awaited<ReturnType<typeof cliVault>>

  beforeAll(async () => {
    vault = await cliVault()
    const ids = environmentIds(vault.services)
    const aws = vault.services.connections.create({
      name: 'Prod AWS',
      provider: 'aws',
      authMode: 'inline',
      labels: ['platform'],
      values: { access_key_id: KEY_ID, secret_access_key: SECRET, default_region: 'eu-west-1' },
    })
    vault.services.connections.create({
      name: 'ci-github',
      provider: 'github',
      authMode: 'inline',
      values: { token: `ghp_${'a1B2'.repeat(9)}` },
    })
    vault.services.authorizations.applyChanges({
      grants: [{ connectionId: aws.id, environmentId: ids.staging! }],
    })
  })

  it('lists connections as an aligned table, and as JSON, with filters', async () => {
    const table = await vault.cli(['ls'])
    expect(table).toMatchObject({ code: 0, stderr: '' })
    const lines = table.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^NAME\s+SLUG\s+PROVIDER\s+AUTH\s+ENVIRONMENTS\s+LAST USED$/)
    expect(lines).toHaveLength(3)
    const row = lines.find((line) => line.startsWith('Prod AWS'))!
    // Columns line up under their headers.
    expect(row.indexOf('prod-aws')).toBe(lines[0]!.indexOf('SLUG'))
    expect(row.indexOf('staging')).toBe(lines[0]!.indexOf('ENVIRONMENTS'))
    expect(row).toMatch(/never$/)

    const json = await vault.cli(['ls', '--json', '--provider', 'aws'])
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({
        name: 'Prod AWS',
        slug: 'prod-aws',
        provider: 'aws',
        authMode: 'inline',
        labels: ['platform'],
        environments: ['staging'],
        lastUsedAt: null,
      }),
    ])
    const byEnv = JSON.parse((await vault.cli(['ls', '--json', '--env', 'production'])).stdout)
    expect(byEnv).toEqual([])
    const byLabel = JSON.parse((await vault.cli(['ls', '--json', '--label', 'PLATFORM'])).stdout)
    expect(byLabel.map((c: { slug: string }) => c.slug)).toEqual(['prod-aws'])
    expect(table.stdout).not.toContain(SECRET)
  })

  it('shows one connection with masked secrets, settings and environments', async () => {
    const shown = await vault.cli(['show', 'prod aws'])
    expect(shown.code).toBe(0)
    expect(shown.stdout).toMatch(/Provider\s+Amazon Web Services \(aws\)/)
    expect(shown.stdout).toMatch(/Environments\s+staging/)
    expect(shown.stdout).toMatch(/Default region\s+eu-west-1/)
    expect(shown.stdout).toMatch(/Access key ID\s+••••••••MPLE/)
    expect(shown.stdout).toMatch(/Secret access key\s+••••••••\n/)
    expect(shown.stdout).not.toContain(SECRET)
    expect(shown.stdout).not.toContain(KEY_ID)
    const json = JSON.parse((await vault.cli(['show', 'prod-aws', '--json'])).stdout)
    expect(json.environments.map((e: { name: string }) => e.name)).toEqual(['staging'])
    expect(json.secrets).toEqual([
      { field: 'access_key_id', masked: '••••••••MPLE', damaged: false },
      { field: 'secret_access_key', masked: '••••••••', damaged: false },
    ])
    const missing = await vault.cli(['show', 'nope'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('Connection nope does not exist.')
  })

  it('lists environments', async () => {
    const result = await vault.cli(['env', 'ls'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^NAME\s+SLUG\s+PROTECTED\s+CONNECTIONS\s+DESCRIPTION\n/)
    expect(result.stdout).toMatch(/production\s+production\s+yes\s+0/)
    expect(result.stdout).toMatch(/staging\s+staging\s+no\s+1/)
  })

  it('adds connections from flags, stdin and files, with per-field errors', async () => {
    const secretFile = join(vault.home, 'gitlab-token')
    writeFileSync(secretFile, `glpat-${'x'.repeat(20)}\n`, { mode: 0o600 })
    const fromFile = await vault.cli([
      'add',
      'gitlab',
      '--name',
      'ops-gitlab',
      '--field',
      `token=@${secretFile}`,
      '--label',
      'ops',
    ])
    expect(fromFile).toMatchObject({
      code: 0,
      stdout: 'Added ops-gitlab (gitlab, inline) as ops-gitlab.\n',
    })
    expect(vault.services.connections.storedSecrets(findId('ops-gitlab')).secrets).toEqual({
      token: `glpat-${'x'.repeat(20)}`,
    })

    const keyIdFile = join(vault.home, 'key-id')
    writeFileSync(keyIdFile, KEY_ID)
    const viaStdin = await vault.cli(
      [
        'add',
        'aws',
        '--name',
        'stdin-aws',
        '--field',
        `access_key_id=@${keyIdFile}`,
        '--field',
        'secret_access_key=@-',
        '--field',
        'default_region=us-east-1',
        '--json',
      ],
      { input: `${SECRET}\n` },
    )
    expect(viaStdin.code).toBe(0)
    expect(JSON.parse(viaStdin.stdout)).toMatchObject({
      slug: 'stdin-aws',
      config: { default_region: 'us-east-1' },
    })
    expect(viaStdin.stdout).not.toContain(SECRET)
    expect(
      vault.services.connections.storedSecrets(findId('stdin-aws')).secrets.secret_access_key,
    ).toBe(SECRET)

    // A literal secret on the command line is refused, naming the safe ways.
    const literal = await vault.cli([
      'add',
      'aws',
      '--name',
      'x',
      '--field',
      `secret_access_key=${SECRET}`,
    ])
    expect(literal.code).toBe(2)
    expect(literal.stderr).toContain('secret_access_key=@-')
    expect(literal.stderr).not.toContain(SECRET)

    // The catalog's validation, field by field.
    const shortFile = join(vault.home, 'short')
    writeFileSync(shortFile, 'short')
    const invalid = await vault.cli(
      [
        'add',
        'aws',
        '--name',
        'bad',
        '--field',
        'access_key_id=@-',
        '--field',
        `secret_access_key=@${shortFile}`,
        '--field',
        'colour=red',
      ],
      { input: 'nope' },
    )
    expect(invalid.code).toBe(1)
    expect(invalid.stderr).toContain('Unknown field "colour" for Amazon Web Services. [colour]')
    expect(invalid.stderr).toContain(
      'Access key ID: must be 20 characters starting with AKIA or ASIA',
    )
    expect(invalid.stderr).toContain('[secret_access_key]')
    expect(invalid.stderr).toContain('nothing was changed')

    const yamlFile = join(vault.home, 'conns.yaml')
    writeFileSync(
      yamlFile,
      [
        '- name: app-db',
        '  provider: postgres',
        '  labels: [db]',
        '  values:',
        '    host: db.internal.example.com',
        '    port: 6432',
        '    database: app',
        '    user: deploy',
        '    password: "p@ss word"',
        '- name: do-main',
        '  provider: digitalocean',
        '  values:',
        `    api_token: dop_v1_${'0123456789abcdef'.repeat(4)}`,
      ].join('\n'),
    )
    const many = await vault.cli(['add', '--from-file', yamlFile])
    expect(many.code).toBe(0)
    expect(many.stdout).toContain('Added app-db (postgres, inline) as app-db.')
    expect(many.stdout).toContain('Added do-main (digitalocean, inline) as do-main.')
    expect(vault.services.connections.get(findId('app-db')).config).toMatchObject({ port: '6432' })

    // All or nothing: one bad entry in a file adds none of them.
    const jsonFile = join(vault.home, 'conns.json')
    writeFileSync(
      jsonFile,
      JSON.stringify([
        { name: 'good-gh', provider: 'github', values: { token: `ghp_${'Z9y8'.repeat(9)}` } },
        { name: 'bad-gh', provider: 'github', values: { token: 'nope' } },
      ]),
    )
    const partial = await vault.cli(['add', '--from-file', jsonFile])
    expect(partial.code).toBe(1)
    expect(partial.stderr).toContain('Personal access token: must be a fine-grained token')
    expect(vault.services.connections.list().some((c) => c.name === 'good-gh')).toBe(false)
  })

  it('authorizes and revokes through change sets, with --yes for protected environments', async () => {
    const refused = await vault.cli(['authorize', 'ci-github', 'production'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(
      'production is protected: to grant ci-github there, confirm it with --yes.',
    )
    expect(refused.stderr).toContain('Nothing was changed.')
    const id = findId('ci-github')
    expect(vault.services.authorizations.authorizationsFor(id).environmentIds).toEqual([])

    expect((await vault.cli(['authorize', 'ci-github', 'Production', '--yes'])).stdout).toBe(
      'Authorized ci-github for production.\n',
    )
    expect((await vault.cli(['authorize', 'ci-github', 'development'])).stdout).toBe(
      'Authorized ci-github for development.\n',
    )
    expect((await vault.cli(['authorize', 'ci-github', 'development'])).stdout).toContain(
      'already authorized',
    )
    const revokeRefused = await vault.cli(['revoke', 'ci-github', 'production'])
    expect(revokeRefused.code).toBe(1)
    expect(revokeRefused.stderr).toContain('to revoke ci-github there, confirm it with --yes')
    const revoked = await vault.cli(['revoke', 'ci-github', 'production', '-y', '--json'])
    expect(JSON.parse(revoked.stdout)).toMatchObject({ changed: true, revoked: 1 })
    const ids = environmentIds(vault.services)
    expect(vault.services.authorizations.authorizationsFor(id).environmentIds).toEqual([
      ids.development,
    ])
    // Each change is one audited change set, undoable in the app.
    const changes = vault.services.audit
      .query({ filter: { actions: ['authorization.change'] } })
      .entries.map((e) => e.detail)
    expect(changes.slice(0, 3)).toEqual([
      '0 granted, 1 revoked: -ci-github@production',
      '1 granted, 0 revoked: +ci-github@development',
      '1 granted, 0 revoked: +ci-github@production',
    ])
  })

  it('works beside the open app: both append to one audit chain, which still verifies', async () => {
    // `vault.services` is the app: its vault stays open and unlocked the whole time.
    const ids = environmentIds(vault.services)
    const id = findId('prod-aws')
    const app = () =>
      vault.services.authorizations.applyChanges({
        grants: [{ connectionId: id, environmentId: ids.development! }],
      })
    app()
    const [first, second] = await Promise.all([
      vault.cli(['revoke', 'prod-aws', 'development']),
      vault.cli(['authorize', 'ci-github', 'staging']),
    ])
    expect([first.code, second.code]).toEqual([0, 0])
    app() // the app appends after the CLI did, chaining from the CLI's entries
    vault.services.audit.record({ action: 'vault.lock', detail: 'app entry' })
    expect(vault.services.audit.verify()).toMatchObject({ ok: true, brokenCount: 0 })
    const cli = await vault.cli(['audit', 'verify', '--json'])
    expect(JSON.parse(cli.stdout)).toMatchObject({ ok: true })
  })

  it('verifies the audit trail, and names the first broken entry when it was altered', async () => {
    const ok = await vault.cli(['audit', 'verify'])
    expect(ok.code).toBe(0)
    expect(ok.stdout).toMatch(/^All \d+ entries verify\.\n$/)

    const out = join(vault.home, 'audit.csv')
    const exported = await vault.cli(['audit', 'export', '--format', 'csv', '--output', out])
    expect(exported.code).toBe(0)
    expect(statSync(out).mode & 0o777).toBe(0o600)
    const csv = readFileSync(out, 'utf8')
    expect(csv.split('\r\n')[0]).toBe(
      'id,time,actor_user,actor_vault,action,target_type,target_id,target_name,environment_id,environment_name,outcome,detail,hash',
    )
    expect(csv).toContain('connection.create')
    const jsonl = await vault.cli(['audit', 'export', '--format', 'jsonl'])
    const entries = jsonl.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: number })
    expect(entries.length).toBeGreaterThan(3)
    expect(entries.map((e) => e.id)).toEqual([...entries.map((e) => e.id)].sort((a, b) => a - b))
    expect((await vault.cli(['audit', 'export', '--format', 'xml'])).code).toBe(2)

    // Tamper with one entry behind the app's back (dropping the append-only trigger first).
    const db = new BetterSqlite3(join(vault.home, 'vault.db'))
    const triggers = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'")
      .all() as { name: string }[]
    for (const { name } of triggers) db.exec(`DROP TRIGGER "${name}"`)
    db.prepare("UPDATE audit_log SET detail = 'forged' WHERE id = 2").run()
    db.close()
    const broken = await vault.cli(['audit', 'verify'])
    expect(broken.code).toBe(1)
    expect(broken.stderr).toMatch(/entry #2 \(.+\) does not match the chain/)
    const brokenJson = await vault.cli(['audit', 'verify', '--json'])
    expect(brokenJson.code).toBe(1)
    expect(JSON.parse(brokenJson.stdout)).toMatchObject({ ok: false, firstBroken: { id: 2 } })
  })

  function findId(slug: string): string {
    const found = vault.services.connections.list().find((c) => c.slug === slug)
    if (!found) throw new Error(`no connection ${slug}`)
    return found.id
  }
})

describe.skipIf(!privateKeyring)('unlocking from the CLI', SLOW, () => {
  it('reads a passphrase vault’s passphrase from BRIDGEKEEP_PASSPHRASE, and refuses without one', async () => {
    const passphrase = 'correct horse battery staple 42'
    const vault = await cliVault({ passphrase })
    vault.services.vault.close()
    const none = await vault.cli(['ls'])
    expect(none.code).toBe(1)
    expect(none.stderr).toContain('protected by a passphrase')
    expect(none.stderr).toContain('BRIDGEKEEP_PASSPHRASE')
    const wrong = await vault.cli(['ls'], {
      env: { BRIDGEKEEP_PASSPHRASE: 'not the passphrase at all' },
    })
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toContain('That passphrase does not open this vault.')
    const right = await vault.cli(['ls', '--json'], { env: { BRIDGEKEEP_PASSPHRASE: passphrase } })
    expect(right).toMatchObject({ code: 0, stdout: '[]\n' })
  })

  it('falls back to the recovery key with --recovery-key, and explains a missing vault', async () => {
    const vault = await cliVault()
    const withKey = await vault.cli(['env', 'ls', '--recovery-key'], {
      env: { BRIDGEKEEP_RECOVERY_KEY: vault.recoveryKey },
    })
    expect(withKey.code).toBe(0)
    const noKey = await vault.cli(['env', 'ls', '--recovery-key'])
    expect(noKey.code).toBe(1)
    expect(noKey.stderr).toContain('BRIDGEKEEP_RECOVERY_KEY')
    const unlocks = vault.services.audit
      .query({ filter: { actions: ['vault.unlock'] } })
      .entries.map((e) => `${e.outcome}: ${e.detail}`)
    expect(unlocks).toEqual(['success: With recovery, from the CLI'])

    const empty = join(vault.home, 'elsewhere')
    const missing = await vault.cli(['ls'], { env: { BRIDGEKEEP_HOME: empty } })
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain(`There is no vault in ${empty}.`)
  })

  it('fails clearly when the keychain is unreachable and there is no terminal', async () => {
    const vault = await cliVault()
    const result = await vault.cli(['ls'], {
      env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' },
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('--recovery-key')
  })
})
