import { randomBytes } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW, type CliResult } from '../../test/cli'

const keyId = () => `AKIA${randomBytes(8).toString('hex').toUpperCase()}`
const canary = () => `canary${randomBytes(17).toString('hex')}`

describe.skipIf(!privateKeyring)('bridgekeep rotate and edit (real CLI, real vault)', SLOW, () => {
  const oldSecret = canary()
  const files = mkdtempSync(join(tmpdir(), 'bk-rotate-'))
  let vault: Awaited<ReturnType<typeof cliVault>>
  let id: string
  const results: CliResult[] = []
  const planted: string[] = [oldSecret]
  const cli = async (args: string[], input?: string) => {
    const result = await vault.cli(args, { ...(input === undefined ? {} : { input }) })
    results.push(result)
    return result
  }
  const stored = () => vault.services.connections.storedSecrets(id)
  const latest = (action: 'connection.rotate' | 'connection.update') =>
    vault.services.audit.query({ filter: { actions: [action] } }).entries[0]
  const file = (name: string, content: string) => {
    const path = join(files, name)
    writeFileSync(path, content, { mode: 0o600 })
    return path
  }

  beforeAll(async () => {
    vault = await cliVault()
    id = vault.services.connections.create({
      name: 'Prod AWS',
      provider: 'aws',
      authMode: 'inline',
      labels: ['platform'],
      values: { access_key_id: keyId(), secret_access_key: oldSecret, default_region: 'eu-west-1' },
    }).id
  })

  it('rotates one secret from stdin: a new version, the old one kept, audited', async () => {
    const secret = canary()
    planted.push(secret)
    const rotated = await cli(['rotate', 'prod-aws', '--field', 'secret_access_key=@-'], secret)
    expect(rotated).toMatchObject({ code: 0, stderr: '' })
    expect(rotated.stdout).toBe(
      'Rotated Prod AWS (secret_access_key): secret version 2. Operations already running keep version 1.\n',
    )
    expect(stored()).toMatchObject({ version: 2, secrets: { secret_access_key: secret } })
    // An operation pinned to version 1 still gets it.
    expect(vault.services.connections.storedSecrets(id, 1).secrets.secret_access_key).toBe(
      oldSecret,
    )
    expect(latest('connection.rotate')).toMatchObject({
      outcome: 'success',
      detail: 'Secret version 2: secret_access_key',
      targetId: id,
      targetName: 'Prod AWS',
    })
  })

  it('rotates several fields from a file (--from-file) and from @path, printing JSON', async () => {
    const [newKey, newSecret] = [keyId(), canary()]
    planted.push(newSecret)
    const json = file(
      'key.json',
      JSON.stringify({ access_key_id: newKey, secret_access_key: newSecret }),
    )
    const fromFile = await cli(['rotate', 'prod aws', '--from-file', json, '--json'])
    expect(fromFile.code).toBe(0)
    expect(JSON.parse(fromFile.stdout)).toEqual({
      id,
      name: 'Prod AWS',
      slug: 'prod-aws',
      secretVersion: 3,
      previousVersion: 2,
      fields: ['access_key_id', 'secret_access_key'],
    })
    expect(stored().secrets).toMatchObject({ access_key_id: newKey, secret_access_key: newSecret })

    const third = canary()
    planted.push(third)
    const fromPath = await cli([
      'rotate',
      'prod-aws',
      '--field',
      `secret_access_key=@${file('secret.txt', `${third}\n`)}`,
    ])
    expect(fromPath.code).toBe(0)
    expect(stored()).toMatchObject({ version: 4, secrets: { secret_access_key: third } })
  })

  it('writes nothing when a value fails validation, and refuses secrets on the command line', async () => {
    const before = stored()
    const bad = await cli(
      ['rotate', 'prod-aws', '--field', 'access_key_id=@-', '--field', 'secret_access_key=@-'],
      'not-a-key-id',
    )
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('only one field can be read from stdin')
    const invalid = await cli([
      'rotate',
      'prod-aws',
      '--from-file',
      file('bad.yaml', 'access_key_id: not-a-key-id\n'),
    ])
    expect(invalid.code).toBe(1)
    expect(invalid.stderr).toContain('Access key ID')
    expect(invalid.stderr).toContain('nothing was changed')
    const literal = await cli(['rotate', 'prod-aws', '--field', `secret_access_key=${canary()}`])
    expect(literal.code).toBe(2)
    expect(literal.stderr).toContain('is secret: it is not taken on the command line')
    const plain = await cli([
      'rotate',
      'prod-aws',
      '--field',
      `default_region=@${file('r', 'us-east-1')}`,
    ])
    expect(plain.code).toBe(1)
    expect(plain.stderr).toContain('is not a secret field of Amazon Web Services; edit it instead')
    const nothing = await cli(['rotate', 'prod-aws'])
    expect(nothing.code).toBe(2)
    expect(stored()).toEqual(before)
  })

  it('names a missing reference as the other commands do', async () => {
    const missing = await cli(['rotate', 'nope', '--field', 'secret_access_key=@-'], 'x')
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('nope')
    const editMissing = await cli(['edit', 'nope', '--notes', 'x'])
    expect(editMissing.code).toBe(1)
    expect(editMissing.stderr).toBe(missing.stderr)
    const noRef = await cli(['rotate'])
    expect(noRef.code).toBe(2)
    expect(noRef.stderr).toContain('missing argument: <conn>')
  })

  it('edits name, labels, notes and settings; audited as an update, no new secret version', async () => {
    const version = stored().version
    const edited = await cli([
      'edit',
      'prod-aws',
      '--name',
      'Production AWS',
      '--set',
      'default_region=eu-central-1',
      '--label',
      'payments',
      '--unlabel',
      'PLATFORM',
      '--notes',
      'Rotated by CI',
    ])
    expect(edited).toMatchObject({ code: 0, stderr: '' })
    expect(edited.stdout).toBe(
      'Updated Production AWS (prod-aws): name, default_region, labels, notes.\n',
    )
    const shown = vault.services.connections.get(id)
    expect(shown).toMatchObject({
      name: 'Production AWS',
      slug: 'prod-aws',
      labels: ['payments'],
      notes: 'Rotated by CI',
      config: expect.objectContaining({ default_region: 'eu-central-1' }),
      secretVersion: version,
    })
    expect(latest('connection.update')).toMatchObject({
      outcome: 'success',
      targetId: id,
      targetName: 'Production AWS',
    })
    const json = JSON.parse((await cli(['edit', 'prod-aws', '--notes', '', '--json'])).stdout)
    expect(json).toMatchObject({ id, notes: '' })
    expect(JSON.stringify(json)).not.toContain(oldSecret)
  })

  it('refuses secrets, bad settings, unknown labels and an empty edit, changing nothing', async () => {
    const before = vault.services.connections.get(id)
    const secret = await cli(['edit', 'prod-aws', '--set', `secret_access_key=@-`], canary())
    expect(secret.code).toBe(1)
    expect(secret.stderr).toContain('secret_access_key is a secret field of Amazon Web Services')
    expect(secret.stderr).toContain(
      'Use bridgekeep rotate prod-aws --field secret_access_key=@<file>',
    )
    const region = await cli(['edit', 'prod-aws', '--set', 'default_region=nowhere 1'])
    expect(region.code).toBe(1)
    expect(region.stderr).toContain('nothing was changed')
    const label = await cli(['edit', 'prod-aws', '--unlabel', 'absent'])
    expect(label.code).toBe(1)
    expect(label.stderr).toContain('Production AWS has no label absent. Nothing was changed.')
    const nothing = await cli(['edit', 'prod-aws'])
    expect(nothing.code).toBe(2)
    expect(nothing.stderr).toContain('nothing to change')
    expect(vault.services.connections.get(id)).toEqual(before)
  })

  it('--help shows an example for each command', async () => {
    for (const command of ['rotate', 'edit', 'init', 'unlock', 'status']) {
      const help = await cli([command, '--help'])
      expect(help.code).toBe(0)
      expect(help.stdout).toContain(`bridgekeep ${command}`)
      expect(help.stdout).toMatch(/Examples?:/)
    }
  })

  it('never prints a secret value', () => {
    const everything = results.map((result) => result.stdout + result.stderr).join('\n')
    for (const secret of planted) expect(everything).not.toContain(secret)
  })
})
