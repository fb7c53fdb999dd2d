import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { canaryConnection, exchangeAddresses, twoVaults } from '../../../../test/sharing'
import { payloadSchema, SHARE_FORMAT, SHARE_FORMAT_VERSION } from './payload'

const parseShare = (text: string) => {
  const outer = JSON.parse(text) as { format: string; version: number; payload: unknown }
  expect(outer.format).toBe(SHARE_FORMAT)
  expect(outer.version).toBe(SHARE_FORMAT_VERSION)
  return payloadSchema.parse(outer.payload)
}

/** A scratch directory for one test, removed when it ends (it holds identities and plaintext). */
function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bk-age-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Alice shares a canary AWS connection with Bob (staging, use-only); Bob's age identity in a file. */
async function aliceSharesWithBob() {
  const { a, b } = await twoVaults()
  const { bInA } = await exchangeAddresses(a, b)
  const conn = canaryConnection(a.services, 'aws', 'prod-aws')
  const share = await a.services.sharing.export({
    connectionIds: [conn.id],
    to: { kind: 'contacts', contactIds: [bInA] },
    environments: ['staging'],
  })
  const dir = scratchDir()
  const identityFile = join(dir, 'bob.key')
  writeFileSync(identityFile, `${await b.services.sharing.ageIdentityForTests()}\n`, {
    mode: 0o600,
  })
  return { a, b, conn, share, dir, identityFile }
}

/**
 * The standard `age` CLI (Debian's age 1.1.1, installed by scripts/system-deps.sh) reads what
 * Bridgekeep writes, and Bridgekeep reads what it writes. No skip: without age this fails.
 */
describe('interop with the age CLI', () => {
  it('age -d -i <identity> decrypts an exported share, binary and armored; the payload parses', async () => {
    const { a, conn, share, dir, identityFile } = await aliceSharesWithBob()
    expect(statSync(identityFile).mode & 0o777).toBe(0o600)
    writeFileSync(join(dir, 'share.bkshare'), share.bytes)
    writeFileSync(join(dir, 'share.txt'), share.armored)
    for (const file of ['share.bkshare', 'share.txt']) {
      const text = execFileSync('age', ['-d', '-i', identityFile, join(dir, file)], {
        encoding: 'utf8',
      })
      const payload = parseShare(text)
      expect(payload).toMatchObject({
        shareId: share.shareId,
        useOnly: true,
        scope: ['staging'],
        sender: { name: 'Alice', address: (await a.services.sharing.identity()).address },
        connections: [{ provider: 'aws', name: 'prod-aws', slug: 'prod-aws' }],
      })
      const secrets = Object.values(payload.connections[0]!.secrets).join('\n')
      for (const canary of conn.canaries) expect(secrets).toContain(canary)
    }
    // Another identity cannot open it.
    const other = join(dir, 'other.key')
    execFileSync('age-keygen', ['-o', other], { stdio: 'ignore' })
    const refused = spawnSync('age', ['-d', '-i', other, join(dir, 'share.bkshare')], {
      encoding: 'utf8',
    })
    expect(refused.status).not.toBe(0)
    expect(refused.stderr).toMatch(/no identity matched any of the recipients/)
  })

  it('age decrypts a passphrase share typed at its terminal prompt (script -qec)', async () => {
    const { a } = await twoVaults()
    const conn = canaryConnection(a.services, 'github', 'gh')
    const passphrase = 'correct horse battery staple'
    const share = await a.services.sharing.export({
      connectionIds: [conn.id],
      to: { kind: 'passphrase', passphrase },
      environments: ['development'],
    })
    const dir = scratchDir()
    writeFileSync(join(dir, 'share.bkshare'), share.bytes)
    // age reads passphrases only from a terminal: `script` gives it one, fed from stdin.
    execFileSync(
      'script',
      ['-qec', `age -d -o ${join(dir, 'out.json')} ${join(dir, 'share.bkshare')}`, '/dev/null'],
      { input: `${passphrase}\n`, stdio: ['pipe', 'ignore', 'ignore'], timeout: 30_000 },
    )
    const payload = parseShare(readFileSync(join(dir, 'out.json'), 'utf8'))
    expect(payload.shareId).toBe(share.shareId)
  })

  it('imports a share that the age CLI re-encrypted to this vault, binary and armored', async () => {
    const { b, share, dir, identityFile } = await aliceSharesWithBob()
    writeFileSync(join(dir, 'share.bkshare'), share.bytes)
    const plaintext = execFileSync('age', ['-d', '-i', identityFile, join(dir, 'share.bkshare')])
    const recipient = (await b.services.sharing.identity()).ageRecipient
    const binary = execFileSync('age', ['-r', recipient], { input: plaintext })
    const armored = execFileSync('age', ['-a', '-r', recipient], {
      input: plaintext,
      encoding: 'utf8',
    })
    expect((await b.services.sharing.importPreview({ data: binary })).shareId).toBe(share.shareId)
    const result = await b.services.sharing.importApply({
      source: { data: armored },
      shareId: share.shareId,
    })
    expect(result.created).toHaveLength(1)
  })
})
