import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliVault, inProcessCli, privateKeyring, vaultFingerprint } from '../../test/cli'
import { CANARY, edited, type Variant } from '../../test/apply-documents'
import { shapeVariants } from '../../test/apply-shape-variants'
import { valueVariants } from '../../test/apply-value-variants'
import { connectionInput } from '../../test/services'

// `bridgekeep apply -f` with ≥ 200 malformed inputs (test/apply-*-variants.ts): each is refused
// with a message naming the document and the place in it, and the vault stays byte-for-byte as
// it was.

const dir = mkdtempSync(join(tmpdir(), 'bk-apply-bad-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const variants = [...shapeVariants(), ...valueVariants()]

describe.skipIf(!privateKeyring)('apply -f refuses malformed documents, and writes nothing', () => {
  let vault: Awaited<ReturnType<typeof cliVault>>
  const env = () => ({ BRIDGEKEEP_HOME: vault.home, HOME: dir, BRIDGEKEEP_AGENT: 'off' })
  const apply = async (
    variant: Pick<Variant, 'text' | 'secrets'>,
    file: string,
    extra: string[] = [],
  ) => {
    writeFileSync(file, variant.text)
    const args = [
      'apply',
      '-f',
      file,
      ...extra,
      ...(variant.secrets === undefined ? [] : ['--secrets-from-stdin']),
    ]
    return inProcessCli(args, {
      env: env(),
      cwd: dir,
      ...(variant.secrets === undefined ? {} : { input: variant.secrets }),
    })
  }

  beforeAll(async () => {
    vault = await cliVault()
    const { connections } = vault.services
    connections.create(connectionInput('github', 'live-gh'))
    connections.trash(connections.create(connectionInput('github', 'old-gh')).id)
  })

  it('has at least 200 variants, and their base applies (dry run)', async () => {
    expect(variants.length).toBeGreaterThanOrEqual(200)
    expect(new Set(variants.map((variant) => variant.name)).size).toBe(variants.length)
    const base = await apply({ text: edited(() => {}) }, join(dir, 'base.yaml'), ['--dry-run'])
    expect(base.stderr).toBe('')
    expect(base.code).toBe(0)
    expect(base.stdout).toContain('connection/prod-db created (dry run)')
    expect(base.stdout).toContain('connection/ci-gh created (dry run)')
  }, 60_000)

  it.each(variants.map((variant) => [variant.name, variant] as const))(
    '%s',
    async (_name, variant) => {
      const before = vaultFingerprint(vault.home)
      const result = await apply(variant, join(dir, 'docs.yaml'))
      expect(result.code).toBe(variant.code ?? 1)
      expect(result.stdout).toBe('')
      for (const expected of variant.expected) expect(result.stderr).toContain(expected)
      expect(result.stderr).not.toContain(CANARY)
      expect(result.stderr).not.toContain('unexpected error')
      expect(vaultFingerprint(vault.home)).toBe(before)
    },
    30_000,
  )

  it('refuses input larger than 1 MiB before reading it (a sparse file)', async () => {
    const file = join(dir, 'huge.yaml')
    writeFileSync(file, '')
    truncateSync(file, 1024 * 1024 + 1)
    const before = vaultFingerprint(vault.home)
    const result = await inProcessCli(['apply', '-f', file], { env: env(), cwd: dir })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('is larger than 1 MiB: not connection documents.')
    expect(vaultFingerprint(vault.home)).toBe(before)
  })

  it('refuses more than 1 MiB on stdin, documents or secrets', async () => {
    const before = vaultFingerprint(vault.home)
    const big = `# ${'x'.repeat(1024 * 1024)}\n`
    const documents = await inProcessCli(['apply', '-f', '-'], { env: env(), cwd: dir, input: big })
    expect(documents.code).toBe(1)
    expect(documents.stderr).toContain('stdin is larger than 1 MiB: not connection documents.')
    const secrets = await inProcessCli(
      ['apply', '-f', join(dir, 'base.yaml'), '--secrets-from-stdin'],
      { env: env(), cwd: dir, input: big },
    )
    expect(secrets.code).toBe(1)
    expect(secrets.stderr).toContain('stdin is larger than 1 MiB: not secret values.')
    expect(vaultFingerprint(vault.home)).toBe(before)
  })
})
