import { readFileSync, rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { applyVault, password, token } from '../../test/apply-vault'
import { auditMark, auditSince } from '../../test/audit-parity'
import { cliVault, inProcessCli, privateKeyring, SLOW, vaultFingerprint } from '../../test/cli'

// `bridgekeep apply -f` and `bridgekeep get -o yaml|json` against a real vault: idempotent, a diff
// on change, one transaction, audited through the services, and never a secret in any output.

const DOCS = `# connections of the payments team
apiVersion: bridgekeep.dev/v1
kind: Connection
metadata:
  name: prod-db
  displayName: Prod DB
  labels: { team: payments }
spec:
  type: postgres
  fields:
    host: { value: db.internal }
    database: { value: app }
    user: { value: app }
  environments: [development]
  notes: Owned by payments
---
apiVersion: bridgekeep.dev/v1
kind: Connection
metadata:
  name: ci-gh
spec:
  type: github
  environments: [staging]
`

describe.skipIf(!privateKeyring)('bridgekeep apply -f and get -o yaml', SLOW, () => {
  let vault: Awaited<ReturnType<typeof cliVault>>
  let run: Awaited<ReturnType<typeof applyVault>>['run']
  let file: Awaited<ReturnType<typeof applyVault>>['file']
  let detail: Awaited<ReturnType<typeof applyVault>>['detail']
  let dir: string
  const PASSWORD = password()
  const TOKEN = token()
  const secrets = (db = PASSWORD, gh = TOKEN) =>
    JSON.stringify({ 'prod-db': { password: db }, 'ci-gh': { token: gh } })
  const envsOf = (slug: string) => {
    const names = new Map(vault.services.environments.list().map((env) => [env.id, env.slug]))
    return vault.services.authorizations
      .authorizationsFor(detail(slug).id)
      .environmentIds.map((id) => names.get(id))
  }
  const noSecretIn = (...texts: string[]) => {
    for (const text of texts)
      for (const secret of [PASSWORD, TOKEN]) expect(text).not.toContain(secret)
  }

  beforeAll(async () => {
    ;({ vault, run, file, detail, dir } = await applyVault())
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('creates what the documents describe, audited as add --env does it, and prints each change', async () => {
    const mark = auditMark(vault.services)
    const docs = file('team.yaml', DOCS)
    const result = await run(['apply', '-f', docs, '--secrets-from-stdin'], secrets())
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(
      [
        'connection/prod-db created',
        '  + metadata.displayName: Prod DB',
        '  + metadata.labels: team=payments',
        '  + spec.type: postgres',
        '  + spec.authMode: inline',
        '  + spec.fields.host.value: db.internal',
        '  + spec.fields.port.value: 5432',
        '  + spec.fields.database.value: app',
        '  + spec.fields.user.value: app',
        '  + spec.fields.sslmode.value: prefer',
        '  + spec.fields.password: (value from stdin)',
        '  + spec.environments: development',
        '  + spec.notes: Owned by payments',
        'connection/ci-gh created',
        '  + spec.type: github',
        '  + spec.authMode: inline',
        '  + spec.fields.api_url.value: https://api.github.com',
        '  + spec.fields.token: (value from stdin)',
        '  + spec.environments: staging',
        '',
      ].join('\n'),
    )
    noSecretIn(result.stdout, result.stderr)
    expect(detail('prod-db')).toMatchObject({
      name: 'Prod DB',
      provider: 'postgres',
      labels: ['team=payments'],
      notes: 'Owned by payments',
      secretVersion: 1,
      config: { host: 'db.internal', port: '5432', database: 'app', user: 'app' },
    })
    expect(vault.services.connections.storedSecrets(detail('prod-db').id).secrets).toEqual({
      password: PASSWORD,
    })
    expect(envsOf('prod-db')).toEqual(['development'])
    expect(envsOf('ci-gh')).toEqual(['staging'])
    expect(auditSince(vault.services, mark).map((entry) => entry.action)).toEqual([
      'connection.create',
      'authorization.change',
      'connection.create',
      'authorization.change',
    ])
    noSecretIn(JSON.stringify(vault.services.audit.query({ limit: 50 })))
  })

  it('applying the same documents again is "unchanged": no write, no version, no audit entry', async () => {
    const mark = auditMark(vault.services)
    const before = vaultFingerprint(vault.home)
    const docs = file('team.yaml', DOCS)
    const again = await run(['apply', '-f', docs, '--secrets-from-stdin'], secrets())
    expect(again).toMatchObject({
      code: 0,
      stdout: 'connection/prod-db unchanged\nconnection/ci-gh unchanged\n',
      stderr: '',
    })
    const withoutSecrets = await run(['apply', '-f', docs])
    expect(withoutSecrets.stdout).toBe('connection/prod-db unchanged\nconnection/ci-gh unchanged\n')
    expect(auditSince(vault.services, mark)).toEqual([])
    expect(vaultFingerprint(vault.home)).toBe(before)
    expect(detail('prod-db').secretVersion).toBe(1)
  })

  it('shows a change field by field (a secret only as "(changed)"); --dry-run writes nothing', async () => {
    const NEW_PASSWORD = password()
    const changed = file(
      'changed.yaml',
      DOCS.replace('db.internal', 'db2.internal')
        .replace('team: payments', 'team: core')
        .replace('environments: [development]', 'environments: [staging]')
        .replace('  notes: Owned by payments\n', ''),
    )
    const before = vaultFingerprint(vault.home)
    const dry = await run(
      ['apply', '-f', changed, '--dry-run', '--secrets-from-stdin'],
      secrets(NEW_PASSWORD),
    )
    const diff = [
      '  ~ metadata.labels: team=payments -> team=core',
      '  ~ spec.fields.host.value: db.internal -> db2.internal',
      '  ~ spec.fields.password: (changed)',
      '  + spec.environments: staging',
      '  - spec.environments: development',
      '  - spec.notes: Owned by payments',
      'connection/ci-gh unchanged',
      '',
    ].join('\n')
    expect(dry.stderr).toBe('')
    expect(dry.stdout).toBe(`connection/prod-db configured (dry run)\n${diff}`)
    expect(dry.stdout).not.toContain(NEW_PASSWORD)
    expect(vaultFingerprint(vault.home)).toBe(before)

    const mark = auditMark(vault.services)
    const applied = await run(
      ['apply', '-f', changed, '--secrets-from-stdin'],
      secrets(NEW_PASSWORD),
    )
    expect(applied.stdout).toBe(`connection/prod-db configured\n${diff}`)
    expect(detail('prod-db')).toMatchObject({
      secretVersion: 2,
      labels: ['team=core'],
      notes: '',
      config: { host: 'db2.internal' },
    })
    expect(envsOf('prod-db')).toEqual(['staging'])
    expect(vault.services.connections.storedSecrets(detail('prod-db').id).secrets.password).toBe(
      NEW_PASSWORD,
    )
    // The edit is the Edit form's (a new secret makes it a rotation), the environments the matrix's.
    expect(auditSince(vault.services, mark).map((entry) => entry.action)).toEqual([
      'connection.rotate',
      'authorization.change',
    ])
    const json = await run(['apply', '-f', changed, '--json'])
    expect(JSON.parse(json.stdout)).toEqual([
      { name: 'prod-db', action: 'unchanged', changes: [] },
      { name: 'ci-gh', action: 'unchanged', changes: [] },
    ])
  })

  it('get prints the same document shape, never a secret, and applying it is "unchanged"', async () => {
    const yaml = await run(['get', 'prod-db', '-o', 'yaml'])
    expect(yaml.stderr).toBe('')
    noSecretIn(yaml.stdout)
    expect(parse(yaml.stdout)).toEqual({
      apiVersion: 'bridgekeep.dev/v1',
      kind: 'Connection',
      metadata: { name: 'prod-db', displayName: 'Prod DB', labels: { team: 'core' } },
      spec: {
        type: 'postgres',
        authMode: 'inline',
        fields: {
          host: { value: 'db2.internal' },
          port: { value: '5432' },
          database: { value: 'app' },
          user: { value: 'app' },
          sslmode: { value: 'prefer' },
          password: { stored: true },
        },
        environments: ['staging'],
      },
    })
    expect(yaml.stdout).toContain('    host: { value: db2.internal }\n')
    expect(yaml.stdout).toContain('# stored: true — the vault holds the value of password')

    const all = await run(['get'])
    const json = await run(['get', 'connection://staging/ci-gh', 'prod-db', '-o', 'json'])
    noSecretIn(all.stdout, json.stdout)
    expect(
      (JSON.parse(json.stdout) as { metadata: { name: string } }[]).map((d) => d.metadata.name),
    ).toEqual(['ci-gh', 'prod-db'])
    const mark = auditMark(vault.services)
    const before = vaultFingerprint(vault.home)
    for (const output of [all.stdout, yaml.stdout, json.stdout]) {
      const again = await run(['apply', '-f', file('got.yaml', output)])
      expect(again.stderr).toBe('')
      expect(again.stdout).toMatch(/^(connection\/[a-z-]+ unchanged\n)+$/)
    }
    expect(auditSince(vault.services, mark)).toEqual([])
    expect(vaultFingerprint(vault.home)).toBe(before)
  })

  it('get output applied where no value is stored is refused: a copy never goes out without its secret', async () => {
    const other = await cliVault()
    const got = await run(['get', 'ci-gh'])
    const path = file('elsewhere.yaml', got.stdout)
    const result = await inProcessCli(['apply', '-f', path], {
      env: { BRIDGEKEEP_HOME: other.home, HOME: dir, BRIDGEKEEP_AGENT: 'off' },
      cwd: dir,
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      'doc 1 (ci-gh): spec.fields.token.stored: the vault holds no value of Personal access token for ci-gh to keep: give valueFrom, or its value with --secrets-from-stdin.',
    )
    expect(other.services.connections.list()).toEqual([])
  })

  it('a protected environment needs --yes; without it nothing at all is applied', async () => {
    const docs = file(
      'protected.yaml',
      `${DOCS.replace('environments: [staging]\n', 'environments: [staging, production]\n').replace('environments: [development]', 'environments: [staging]').replace('team: payments', 'team: core').replace('db.internal', 'db2.internal').replace('  notes: Owned by payments\n', '')}---\n${DOCS.split('---\n')[1]!.replace('ci-gh', 'ci-gh-two')}`,
    )
    const before = vaultFingerprint(vault.home)
    const refused = await run(
      ['apply', '-f', docs, '--secrets-from-stdin'],
      JSON.stringify({ 'ci-gh-two': { token: token() } }),
    )
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(
      'These changes touch protected environments: ci-gh in production. Nothing was applied.',
    )
    expect(refused.stderr).toContain('bridgekeep apply <the same arguments> --yes')
    expect(vaultFingerprint(vault.home)).toBe(before)

    const confirmed = await run(
      ['apply', '-f', docs, '--yes', '--secrets-from-stdin'],
      JSON.stringify({ 'ci-gh-two': { token: token() } }),
    )
    expect(confirmed.stderr).toBe('')
    expect(confirmed.stdout).toContain(
      'connection/ci-gh configured\n  + spec.environments: production (protected)\n',
    )
    expect(confirmed.stdout).toContain('connection/ci-gh-two created\n')
    expect(envsOf('ci-gh')).toEqual(['staging', 'production'])
  })

  it('writes in one transaction: a document the service refuses undoes the ones before it', async () => {
    const docs = file(
      'rollback.yaml',
      [
        'apiVersion: bridgekeep.dev/v1\nkind: Connection\nmetadata: { name: first-gh }\nspec: { type: github, environments: [development] }\n',
        // GitHub tokens have no exchange for short-lived credentials: the service refuses it.
        'apiVersion: bridgekeep.dev/v1\nkind: Connection\nmetadata: { name: second-gh }\nspec: { type: github, shortLivedOnly: true }\n',
      ].join('---\n'),
    )
    const before = vaultFingerprint(vault.home)
    const mark = auditMark(vault.services)
    const result = await run(
      ['apply', '-f', docs, '--secrets-from-stdin'],
      JSON.stringify({ 'first-gh': { token: token() }, 'second-gh': { token: token() } }),
    )
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('doc 2 (second-gh): Short-lived credentials only: GitHub')
    expect(result.stderr).toContain('Nothing was applied.')
    expect(vault.services.connections.list().map((c) => c.slug)).not.toContain('first-gh')
    expect(auditSince(vault.services, mark)).toEqual([])
    expect(vaultFingerprint(vault.home)).toBe(before)
  })

  it('works as a real command: documents on stdin, get piped back, a canary never printed', async () => {
    const secret = token()
    const doc = DOCS.split('---\n')[1]!.replace('ci-gh', 'proc-gh')
    const docs = file('proc.yaml', doc)
    const created = await vault.cli(['apply', '-f', docs, '--secrets-from-stdin'], {
      input: JSON.stringify({ 'proc-gh': { token: secret } }),
    })
    expect(created.stderr).toBe('')
    expect(created.code).toBe(0)
    expect(created.stdout).toContain('connection/proc-gh created\n')
    const got = await vault.cli(['get', 'proc-gh', '-o', 'yaml'])
    expect(got.code).toBe(0)
    const piped = await vault.cli(['apply', '-f', '-'], { input: got.stdout })
    expect(piped).toMatchObject({ code: 0, stdout: 'connection/proc-gh unchanged\n', stderr: '' })
    const both = await vault.cli(['apply', '-f', '-', '--secrets-from-stdin'], { input: doc })
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('stdin carries the documents or the secrets, not both')
    const written = await vault.cli([
      'apply',
      '-f',
      file(
        'leak.yaml',
        doc.replace('type: github', `type: github\n  fields: { token: { value: ${secret} } }`),
      ),
    ])
    expect(written.code).toBe(1)
    expect(written.stderr).toContain(
      'doc 1 (proc-gh): spec.fields.token.value: Personal access token is secret, and secrets in files get checked into git: use valueFrom, or --secrets-from-stdin.',
    )
    for (const output of [created, got, piped, both, written])
      expect(output.stdout + output.stderr).not.toContain(secret)
    expect(readFileSync(docs, 'utf8')).not.toContain(secret)
  })
})
