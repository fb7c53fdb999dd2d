import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rmSync } from 'node:fs'
import { auditMark, auditSince } from '../../test/audit-parity'
import { applyVault, password, token } from '../../test/apply-vault'
import { privateKeyring, SLOW, vaultFingerprint } from '../../test/cli'
import { createTestCa } from '../../test/fixtures/test-ca'
import { connectionInput } from '../../test/services'

// `get` then `apply` of what a connection can hold, and references (valueFrom) end to end.

describe.skipIf(!privateKeyring)('bridgekeep get and apply round trip', SLOW, () => {
  let vault: Awaited<ReturnType<typeof applyVault>>['vault']
  let run: Awaited<ReturnType<typeof applyVault>>['run']
  let file: Awaited<ReturnType<typeof applyVault>>['file']
  let detail: Awaited<ReturnType<typeof applyVault>>['detail']
  let dir: string
  const PASSWORD = password()
  const noSecretIn = (...texts: string[]) => {
    for (const text of texts) expect(text).not.toContain(PASSWORD)
  }

  beforeAll(async () => {
    ;({ vault, run, file, detail, dir } = await applyVault())
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('round-trips what the app form can hold: a certificate, labels no map says, quotes, notes over lines', async () => {
    const ca = await createTestCa()
    const { connections } = vault.services
    connections.create({
      name: 'Prod "DB" — é: #1',
      slug: 'odd-db',
      provider: 'postgres',
      authMode: 'inline',
      values: {
        host: 'db.internal',
        database: 'app',
        user: 'app',
        password: PASSWORD,
        sslmode: 'verify-full',
        ca_certificate: ca.cert,
      },
      labels: ['team=a', 'team=b', 'urgent', 'x: y'],
      notes: 'line one\n\tindented: "quoted" # not a comment\nlast',
    })
    connections.create({
      ...connectionInput('github', 'map-gh'),
      labels: ['team=payments', 'urgent'],
    })
    const yaml = await run(['get', 'odd-db', 'map-gh'])
    noSecretIn(yaml.stdout)
    expect(yaml.stdout).toContain('    ca_certificate:\n      value: |')
    expect(yaml.stdout).toContain('  labels:\n    - team=a\n')
    expect(yaml.stdout).toContain('  labels:\n    team: payments\n    urgent: ""\n')
    const json = await run(['get', 'odd-db', 'map-gh', '--json'])
    const mark = auditMark(vault.services)
    const before = vaultFingerprint(vault.home)
    for (const output of [yaml.stdout, json.stdout]) {
      const again = await run(['apply', '-f', file('odd.yaml', output)])
      expect(again).toMatchObject({
        code: 0,
        stdout: 'connection/odd-db unchanged\nconnection/map-gh unchanged\n',
        stderr: '',
      })
    }
    expect(auditSince(vault.services, mark)).toEqual([])
    expect(vaultFingerprint(vault.home)).toBe(before)
    const relabelled = await run([
      'apply',
      '-f',
      file('relabel.yaml', yaml.stdout.replace('    urgent: ""\n', '')),
    ])
    expect(relabelled.stdout).toContain(
      'connection/map-gh configured\n  ~ metadata.labels: team=payments, urgent -> team=payments\n',
    )
    expect(detail('map-gh').labels).toEqual(['team=payments'])
  })

  it('valueFrom: stored as a reference, printed by get, changed and swapped with a value, shown by its text', async () => {
    const doc = (token: string) =>
      file(
        'refs.yaml',
        `apiVersion: bridgekeep.dev/v1\nkind: Connection\nmetadata: { name: ref-gh }\nspec:\n  type: github\n  fields:\n${token}`,
      )
    const fromEnv = doc('    token: { valueFrom: { env: { name: GH_TOKEN } } }\n')
    const created = await run(['apply', '-f', fromEnv])
    expect(created.stderr).toBe('')
    expect(created.stdout).toContain('  + spec.fields.token: valueFrom env:GH_TOKEN\n')
    expect(detail('ref-gh').secrets).toEqual([
      { field: 'token', reference: 'env:GH_TOKEN', damaged: false },
    ])
    const got = await run(['get', 'ref-gh'])
    expect(got.stdout).toContain('    token: { valueFrom: { env: { name: GH_TOKEN } } }\n')
    const before = vaultFingerprint(vault.home)
    for (const same of [fromEnv, file('ref-got.yaml', got.stdout)])
      expect((await run(['apply', '-f', same])).stdout).toBe('connection/ref-gh unchanged\n')
    expect(vaultFingerprint(vault.home)).toBe(before)

    // A command reference runs a program at each use: applied only once confirmed.
    const commandDoc = doc('    token: { valueFrom: { command: { argv: [pass, show, ci/gh] } } }\n')
    const unconfirmed = await run(['apply', '-f', commandDoc])
    expect(unconfirmed.code).toBe(1)
    expect(unconfirmed.stderr).toContain(
      'These documents set command references, which run a program on this machine at each use: ref-gh spec.fields.token: command:pass show ci/gh.',
    )
    expect(unconfirmed.stderr).toContain('--yes')
    expect(detail('ref-gh').secrets[0]).toMatchObject({ reference: 'env:GH_TOKEN' })
    const command = await run(['apply', '-f', commandDoc, '--yes'])
    expect(command.stdout).toBe(
      'connection/ref-gh configured\n  ~ spec.fields.token: valueFrom env:GH_TOKEN -> valueFrom command:pass show ci/gh\n',
    )
    const secret = token()
    const toValue = await run(
      [
        'apply',
        '-f',
        doc('    api_url: { value: https://api.github.com }\n'),
        '--secrets-from-stdin',
      ],
      JSON.stringify({ 'ref-gh': { token: secret } }),
    )
    expect(toValue.stdout).toBe(
      'connection/ref-gh configured\n  ~ spec.fields.token: valueFrom command:pass show ci/gh -> (value from stdin)\n',
    )
    expect(vault.services.connections.storedSecrets(detail('ref-gh').id).secrets).toEqual({
      token: secret,
    })
    const toRef = await run([
      'apply',
      '-f',
      doc('    token: { valueFrom: { file: { path: /run/secrets/gh } } }\n'),
    ])
    expect(toRef.stdout).toBe(
      'connection/ref-gh configured\n  ~ spec.fields.token: (stored value) -> valueFrom file:/run/secrets/gh\n',
    )
    expect(detail('ref-gh').secrets[0]).toMatchObject({ reference: 'file:/run/secrets/gh' })
    for (const output of [created, got, command, toValue, toRef])
      expect(output.stdout + output.stderr).not.toContain(secret)
  })
})
