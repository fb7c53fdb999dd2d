import { randomBytes } from 'node:crypto'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW, type CliResult } from '../../test/cli'
import { canaryConnection, rowCounts } from '../../test/sharing'

type CliVault = Awaited<ReturnType<typeof cliVault>>

/** Every byte a command printed: canaries must never be in it. */
function printed(...results: CliResult[]): string {
  return results.map((result) => result.stdout + result.stderr).join('\n')
}

describe.skipIf(!privateKeyring)('bridgekeep share (two vaults, child processes)', SLOW, () => {
  let alice: CliVault
  let bob: CliVault
  let aws: ReturnType<typeof canaryConnection>
  let outputs: CliResult[]
  const run = async (vault: CliVault, args: string[], env: Record<string, string> = {}) => {
    // Debug logging on: the log lines (on stderr) are checked for canaries with everything else.
    const result = await vault.cli(args, { env: { BRIDGEKEEP_LOG: 'debug', ...env } })
    outputs.push(result)
    return result
  }

  beforeAll(async () => {
    outputs = []
    alice = await cliVault()
    bob = await cliVault()
    aws = canaryConnection(alice.services, 'aws', 'Prod AWS')
    // Alice and Bob exchange addresses, as teammates would, entirely through the CLI.
    await run(alice, ['share', 'identity', '--name', 'Alice'])
    await run(bob, ['share', 'identity', '--name', 'Bob'])
    const bobAddress = JSON.parse((await run(bob, ['share', 'identity', '--json'])).stdout).address
    const added = await run(alice, ['share', 'add-contact', 'Bob', bobAddress])
    expect(added).toMatchObject({ code: 0 })
  })

  it('shows the identity, adds and verifies contacts', async () => {
    const identity = await run(alice, ['share', 'identity'])
    expect(identity.code).toBe(0)
    const own = await alice.services.sharing.identity()
    expect(identity.stdout).toContain(own.address)
    expect(identity.stdout).toContain(own.fingerprint)
    expect(identity.stdout).toMatch(/^Name\s+Alice$/m)

    const contacts = await run(alice, ['share', 'contacts'])
    expect(contacts.stdout).toMatch(/^Bob\s+[0-9A-F]{4}( [0-9A-F]{4}){4}\s+not yet/m)
    const bobFingerprint = (await bob.services.sharing.identity()).fingerprint
    // By fingerprint, as read aloud (spaces optional).
    const verified = await run(alice, ['share', 'verify-contact', bobFingerprint.replace(/ /g, '')])
    expect(verified).toMatchObject({ code: 0 })
    expect(verified.stdout).toContain('Bob is verified')
    expect(alice.services.sharing.contacts()[0]!.verifiedAt).not.toBeNull()

    const bad = await run(alice, ['share', 'add-contact', 'Eve', 'bkshare1:not-an-address'])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/share address/i)
    const unknown = await run(alice, ['share', 'verify-contact', 'Mallory'])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('There is no contact Mallory')
    expect(unknown.stderr).toContain('Contacts: Bob')
  })

  it('refuses bad export arguments with a pointer to help, recording nothing', async () => {
    const noRecipient = await run(alice, ['share', 'export', 'prod-aws', '--env', 'staging'])
    expect(noRecipient.code).toBe(2)
    expect(noRecipient.stderr).toContain('--to <contact> or --passphrase')
    expect(noRecipient.stderr).toContain("Run 'bridgekeep share export --help'")
    const noEnv = await run(alice, ['share', 'export', 'prod-aws', '--to', 'Bob'])
    expect(noEnv.code).toBe(2)
    const badExpiry = await run(alice, [
      ...['share', 'export', 'prod-aws', '--to', 'Bob', '--env', 'staging', '--expires', '0'],
    ])
    expect(badExpiry.code).toBe(2)
    expect(badExpiry.stderr).toContain('--expires must be a whole number of days')
    const noSuchEnv = await run(alice, [
      ...['share', 'export', 'prod-aws', '--to', 'Bob', '--env', 'qa'],
    ])
    expect(noSuchEnv.code).toBe(1)
    expect(noSuchEnv.stderr).toContain('Environment qa does not exist')
    // An existing --output is never overwritten, and then nothing is recorded as shared.
    const taken = join(alice.home, 'taken.bkshare')
    writeFileSync(taken, 'keep me')
    const exists = await run(alice, [
      ...['share', 'export', 'prod-aws', '--to', 'Bob', '--env', 'staging', '-o', taken],
    ])
    expect(exists.code).toBe(1)
    expect(exists.stderr).toContain('already exists. Nothing was shared.')
    expect(readFileSync(taken, 'utf8')).toBe('keep me')
    expect(alice.services.sharing.shares()).toEqual([])
  })

  it('exports to a contact; Bob imports it use-only after trusting Alice, and never sees the secret', async () => {
    const file = join(alice.home, 'prod.bkshare')
    const exported = await run(alice, [
      ...['share', 'export', 'prod-aws', '--to', 'Bob', '--env', 'staging', '-o', file],
    ])
    expect(exported).toMatchObject({ code: 0 })
    expect(exported.stdout).toMatch(/^Use-only\s+yes$/m)
    expect(exported.stdout).toMatch(/^With\s+Bob$/m)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const bytes = readFileSync(file)
    expect(bytes.subarray(0, 21).toString()).toBe('age-encryption.org/v1')
    for (const canary of aws.canaries) expect(bytes.includes(canary)).toBe(false)

    // Bob does not know Alice yet: the preview shows her fingerprint, and nothing is imported.
    const before = rowCounts(bob.services)
    const untrusted = await run(bob, ['share', 'import', file])
    expect(untrusted.code).toBe(1)
    const aliceFingerprint = (await alice.services.sharing.identity()).fingerprint
    expect(untrusted.stdout).toContain(aliceFingerprint)
    expect(untrusted.stdout).toMatch(/^From\s+Alice: not one of your contacts$/m)
    expect(untrusted.stderr).toContain('--trust-sender')
    expect(rowCounts(bob.services)).toEqual(before)

    const dryRun = await run(bob, ['share', 'import', file, '--dry-run', '--json'])
    expect(JSON.parse(dryRun.stdout)).toMatchObject({
      useOnly: true,
      sender: { name: 'Alice', trust: 'unknown' },
      connections: [
        {
          slug: 'prod-aws',
          conflict: null,
          toolsReceive: { exposed: false, exchanged: true, what: 'an STS session (1 h)' },
        },
      ],
    })
    // AWS keys are exchanged for a session: nothing to warn about.
    expect(untrusted.stdout).not.toMatch(/^Not hidden/m)
    expect(rowCounts(bob.services)).toEqual(before)

    const imported = await run(bob, ['share', 'import', file, '--trust-sender'])
    expect(imported).toMatchObject({ code: 0 })
    expect(imported.stdout).toMatch(/^Imported\s+Prod AWS \(prod-aws\)$/m)
    expect(imported.stdout).toMatch(/^Authorized for\s+staging$/m)
    expect(imported.stdout).toMatch(/^Contact\s+Alice \(added\)$/m)
    const [received] = bob.services.connections.list()
    expect(received).toMatchObject({ slug: 'prod-aws', useOnly: true })

    // Bob's CLI shows no secret, and refuses to pass it on.
    const show = await run(bob, ['show', 'prod-aws', '--json'])
    expect(show.code).toBe(0)
    const reshare = await run(
      bob,
      [...['share', 'export', 'prod-aws', '--passphrase', '--env', 'staging', '--armor'], ...[]],
      { BRIDGEKEEP_SHARE_PASSPHRASE: 'correct horse battery staple' },
    )
    expect(reshare.code).toBe(1)
    expect(reshare.stderr).toContain('cannot be shared again')

    // The same file again: its slug is taken now, so Bob must choose.
    const again = await run(bob, ['share', 'import', file])
    expect(again.code).toBe(1)
    expect(again.stdout).toMatch(/^From\s+Alice: a contact, fingerprint not yet verified$/m)
    expect(again.stderr).toContain('--on-conflict rename|replace|skip')
    const renamed = await run(bob, ['share', 'import', file, '--choose', 'prod-aws=rename'])
    expect(renamed.code).toBe(0)
    // Renamed to the preview's suggestion: the sender's name makes it tell apart.
    expect(renamed.stdout).toMatch(/^Imported\s+Prod AWS \(Alice\) \(prod-aws-alice\)$/m)
    expect(
      bob.services.connections
        .list()
        .map((c) => c.slug)
        .sort(),
    ).toEqual(['prod-aws', 'prod-aws-alice'])
  })

  it('exports to a passphrase as armored text and imports it from stdin', async () => {
    const passphrase = 'tangerine orbit velvet compass'
    const noPassphrase = await run(alice, [
      ...['share', 'export', 'prod-aws', '--passphrase', '--env', 'staging', '--armor'],
    ])
    expect(noPassphrase.code).toBe(1)
    expect(noPassphrase.stderr).toContain('BRIDGEKEEP_SHARE_PASSPHRASE')

    const armored = await run(
      alice,
      [
        ...[
          'share',
          'export',
          'prod-aws',
          '--passphrase',
          '--env',
          'staging',
          '--env',
          'production',
        ],
        ...['--armor', '--full-access', '--expires', '2'],
      ],
      { BRIDGEKEEP_SHARE_PASSPHRASE: passphrase },
    )
    expect(armored).toMatchObject({ code: 0 })
    expect(armored.stdout).toMatch(
      /^-----BEGIN AGE ENCRYPTED FILE-----\n[\s\S]+-----END AGE ENCRYPTED FILE-----\n$/,
    )
    // The summary goes to stderr, so stdout is exactly the text to paste.
    expect(armored.stderr).toMatch(/^With\s+whoever has the passphrase$/m)

    const carol = await cliVault()
    const pasted = `Here you go:\n${armored.stdout}\nthanks`
    const wrong = await carol.cli(['share', 'import', '-', '--trust-sender'], {
      input: pasted,
      env: { BRIDGEKEEP_SHARE_PASSPHRASE: 'not the passphrase at all' },
    })
    outputs.push(wrong)
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toContain('That passphrase does not open this share.')
    expect(carol.services.connections.list()).toEqual([])

    // The scope names production, which is protected here: like `authorize`, it needs --yes.
    const unconfirmed = await carol.cli(['share', 'import', '-', '--trust-sender'], {
      input: pasted,
      env: { BRIDGEKEEP_SHARE_PASSPHRASE: passphrase },
    })
    outputs.push(unconfirmed)
    expect(unconfirmed.code).toBe(1)
    expect(unconfirmed.stderr).toContain(
      'These changes touch protected environments. production: grant Prod AWS',
    )
    expect(unconfirmed.stderr).toContain('Nothing was imported.')
    expect(unconfirmed.stderr).toContain('--yes')
    expect(carol.services.connections.list()).toEqual([])
    expect(carol.services.sharing.contacts()).toEqual([])

    const opened = await carol.cli(['share', 'import', '-', '--trust-sender', '--yes', '--json'], {
      input: pasted,
      env: { BRIDGEKEEP_SHARE_PASSPHRASE: passphrase },
    })
    outputs.push(opened)
    expect(opened.code).toBe(0)
    expect(JSON.parse(opened.stdout)).toMatchObject({
      created: [{ slug: 'prod-aws' }],
      authorized: expect.arrayContaining(['staging', 'production']),
    })
    expect(carol.services.connections.list()[0]!.useOnly).toBeFalsy()
  })

  it('refuses damaged and foreign files, changing nothing', async () => {
    const before = rowCounts(bob.services)
    const junk = join(bob.home, 'junk.bkshare')
    writeFileSync(junk, 'definitely not a share')
    const malformed = await run(bob, ['share', 'import', junk, '--trust-sender'])
    expect(malformed.code).toBe(1)
    expect(malformed.stderr).toContain('not an age-encrypted Bridgekeep share')
    const missing = await run(bob, ['share', 'import', join(bob.home, 'nope.bkshare')])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('There is no file')

    // Encrypted to Bob, opened by Carol's vault (not a recipient).
    const file = join(alice.home, 'for-bob.bkshare')
    await run(alice, ['share', 'export', 'prod-aws', '--to', 'Bob', '--env', 'staging', '-o', file])
    const carol = await cliVault()
    const foreign = await carol.cli(['share', 'import', file, '--trust-sender'])
    outputs.push(foreign)
    expect(foreign.code).toBe(1)
    expect(foreign.stderr).toContain('not encrypted for this vault')

    // One flipped byte in the payload fails age's integrity check.
    const tampered = readFileSync(file)
    tampered[tampered.length - 20]! ^= 0x01
    const tamperedPath = join(bob.home, 'tampered.bkshare')
    writeFileSync(tamperedPath, tampered)
    const altered = await run(bob, ['share', 'import', tamperedPath, '--trust-sender'])
    expect(altered.code).toBe(1)
    expect(altered.stderr).toContain('damaged or was altered')
    expect(rowCounts(bob.services)).toEqual(before)
  })

  it('lists sent shares and revokes one, saying what revoking cannot do', async () => {
    const list = await run(alice, ['share', 'ls'])
    expect(list.code).toBe(0)
    const header = list.stdout.split('\n')[0]!
    expect(header).toMatch(
      /^SHARE\s+STATUS\s+CONNECTIONS\s+TO\s+ENVIRONMENTS\s+USE-ONLY\s+SENT\s+EXPIRES$/,
    )
    const shares = alice.services.sharing.shares()
    expect(shares.length).toBeGreaterThanOrEqual(3)
    expect(shares.every((share) => share.status === 'outstanding')).toBe(true)

    const target = shares.find((share) => share.passphrase)!
    const revoked = await run(alice, ['share', 'revoke', target.id.slice(0, 8)])
    expect(revoked.code).toBe(0)
    expect(revoked.stdout).toContain('does not recall it')
    expect(revoked.stdout).toContain('rotate the secret of Prod AWS')
    const after = JSON.parse((await run(alice, ['share', 'ls', '--json'])).stdout)
    expect(after.find((share: { id: string }) => share.id === target.id).status).toBe('revoked')
    const trail = alice.services.audit.query({ limit: 100 }).entries.map((entry) => entry.action)
    expect(trail).toContain('share.revoke')
    expect(trail).toContain('share.export')

    const nothing = await run(alice, ['share', 'revoke', 'zzzz'])
    expect(nothing.code).toBe(1)
    expect(nothing.stderr).toContain('This vault sent no share with id zzzz')
  })

  it('refuses a use-only share of a token when the sender’s setting says so', async () => {
    const github = canaryConnection(alice.services, 'github', 'ci-github')
    const before = alice.services.sharing.shares().length
    alice.services.settings.update({ refuseExposedUseOnly: true })
    try {
      const refused = await run(alice, [
        'share',
        'export',
        'ci-github',
        '--to',
        'Bob',
        '--env',
        'staging',
      ])
      expect(refused.code).toBe(1)
      expect(refused.stderr).toContain(
        'use-only cannot hide these secrets, the recipient\'s tools would receive them as they are: "ci-github" (the token itself). Nothing was shared.',
      )
      expect(refused.stderr).toContain('share a full copy instead, or turn off')
      for (const canary of github.canaries) expect(printed(refused)).not.toContain(canary)
      expect(alice.services.sharing.shares()).toHaveLength(before)
    } finally {
      alice.services.settings.update({ refuseExposedUseOnly: false })
    }
  })

  it('re-sends a rotated connection to everyone holding it; Bob’s import takes the new version', async () => {
    const secret = randomBytes(30).toString('base64')
    alice.services.connections.rotate({ id: aws.id, secrets: { secret_access_key: secret } })
    const resent = await run(alice, ['share', 'resend', 'prod-aws', '-o', alice.home, '--json'])
    expect(resent).toMatchObject({ code: 0 })
    const summary = JSON.parse(resent.stdout)
    expect(summary).toMatchObject({ recipients: ['Bob'], passphraseSharesNotResent: 0 })
    expect(summary.shares).toHaveLength(1)
    const file = summary.shares[0].file as string
    expect(statSync(file).mode & 0o777).toBe(0o600)

    const imported = await run(bob, ['share', 'import', file])
    expect(imported).toMatchObject({ code: 0 })
    expect(imported.stdout).toMatch(/^New version\s+version 1 → 2$/m)
    const updated = bob.services.connections.list().find((c) => c.slug === 'prod-aws-alice')!
    expect(bob.services.connections.storedSecrets(updated.id).secrets.secret_access_key).toBe(
      secret,
    )
    expect(printed(resent, imported)).not.toContain(secret)
  })

  it('imports a registry that borrows an AWS connection with the one Bob names (--borrow)', async () => {
    const awsValues = (key: string) => ({
      access_key_id: `AKIA${key}`,
      secret_access_key: randomBytes(30).toString('base64'),
      default_region: 'eu-west-1',
    })
    alice.services.connections.create({
      name: 'ops-admin',
      provider: 'aws',
      authMode: 'inline',
      values: awsValues('ADMINADMINADMIN1'),
    })
    alice.services.connections.create({
      name: 'Team registry',
      provider: 'ecr',
      authMode: 'inline',
      values: { region: 'eu-west-1', account_id: '210987654321', aws_connection: 'ops-admin' },
    })
    bob.services.connections.create({
      name: 'ops-dev',
      provider: 'aws',
      authMode: 'inline',
      values: awsValues('DEVDEVDEVDEVDEV1'),
    })
    const file = join(alice.home, 'registry.bkshare')
    const exported = await run(alice, [
      ...['share', 'export', 'team-registry', '--to', 'Bob', '--env', 'staging', '-o', file],
      '--full-access',
    ])
    expect(exported).toMatchObject({ code: 0 })

    const before = rowCounts(bob.services)
    const unchosen = await run(bob, ['share', 'import', file])
    expect(unchosen.code).toBe(1)
    expect(unchosen.stdout).toMatch(
      /^Borrows \(Team registry\)\s+the sender's ops-admin \(a connection of theirs\): choose one of yours with --borrow team-registry=<your connection>$/m,
    )
    expect(unchosen.stderr).toContain('Choose which of your AWS connections it uses')
    expect(unchosen.stderr).toContain('--borrow team-registry=<your AWS connection>')
    expect(rowCounts(bob.services)).toEqual(before)

    const badly = await run(bob, ['share', 'import', file, '--borrow', 'team-registry'])
    expect(badly.code).toBe(2)
    expect(badly.stderr).toContain('--borrow team-registry: write it as <slug in the share>=')

    const imported = await run(bob, [
      ...['share', 'import', file, '--borrow', 'team-registry=ops-dev'],
    ])
    expect(imported).toMatchObject({ code: 0 })
    const registry = bob.services.connections.list().find((c) => c.slug === 'team-registry')!
    expect(bob.services.connections.get(registry.id).config.aws_connection).toBe('ops-dev')
  })

  it('never prints a secret, in any of the commands above', () => {
    expect(outputs.length).toBeGreaterThan(20)
    const all = printed(...outputs)
    for (const canary of aws.canaries) expect(all).not.toContain(canary)
    expect(all).toContain('"level":"info"')
    for (const vault of [alice, bob]) {
      const trail = vault.services.audit.export({ format: 'jsonl' }).content
      const logs = JSON.stringify(vault.log.lines)
      for (const canary of aws.canaries) {
        expect(trail).not.toContain(canary)
        expect(logs).not.toContain(canary)
      }
    }
  })
})
