import { randomUUID } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW, type CliResult } from '../../test/cli'
import { environmentIds, unlockedServices } from '../../test/services'
import { attackerShare, canaryConnection, rowCounts } from '../../test/sharing'

type CliVault = Awaited<ReturnType<typeof cliVault>>

/**
 * Terminal escape injection: text from a share or a contact must never reach the terminal raw.
 * Up a line, erase it, back to its start: a sender's name that would overwrite the preview's
 * "not one of your contacts" line. And a right-to-left override, which makes a line read backwards.
 */
const REDRAW = '\u001b[1A\u001b[2K\r'
const RLO = '\u202e'
/** What must never be printed from data (line breaks and tabs are the CLI's own layout). */
// eslint-disable-next-line no-control-regex -- these very bytes are what the tests look for
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

function printed(result: CliResult): string {
  return result.stdout + result.stderr
}

describe.skipIf(!privateKeyring)('hostile text on the command line', SLOW, () => {
  let bob: CliVault
  beforeAll(async () => {
    bob = await cliVault()
    await bob.services.sharing.setName({ name: 'Bob' })
  })

  it('share import refuses a share whose sender, names, labels or notes hold control characters', async () => {
    const before = rowCounts(bob.services)
    const cases: [string, Parameters<typeof attackerShare>[1], string][] = [
      [
        'sender name',
        (p) => (p.sender.name = `Alice${REDRAW}`),
        'the sender’s name (U+001B at position 6)',
      ],
      [
        'connection name',
        (p) => (p.connections[0]!.name = `Prod AWS${REDRAW}${RLO}`),
        'the name of connection prod-aws (U+001B at position 9)',
      ],
      [
        'label',
        (p) => (p.connections[0]!.labels = [`team${RLO}`]),
        'a label of connection prod-aws (U+202E at position 5)',
      ],
      [
        'notes',
        (p) => (p.connections[0]!.notes = `read me\n${REDRAW}`),
        'the notes of connection prod-aws (U+001B at position 9)',
      ],
    ]
    for (const [what, change, where] of cases) {
      const share = await attackerShare(bob.services, change)
      const file = join(bob.home, `hostile-${what.replace(/ /g, '-')}.bkshare`)
      writeFileSync(file, share.bytes)
      // Every way in opens the share first: the preview a trust decision is based on.
      const ways =
        what === 'sender name' ? [[], ['--dry-run'], ['--trust-sender']] : [['--trust-sender']]
      for (const args of ways) {
        const result = await bob.cli(['share', 'import', file, ...args])
        expect(result.code, what).toBe(1)
        expect(result.stderr, what).toContain(
          `bridgekeep: The share holds a control character in ${where}: it could disguise what the share shows. Nothing was imported.`,
        )
        expect(printed(result), what).not.toMatch(RAW)
      }
    }
    expect(rowCounts(bob.services)).toEqual(before)

    // The same share without them is previewed as usual: the refusals are about the text.
    const genuine = await attackerShare(bob.services)
    const file = join(bob.home, 'genuine.bkshare')
    writeFileSync(file, genuine.bytes)
    const preview = await bob.cli(['share', 'import', file, '--dry-run'])
    expect(preview.code).toBe(0)
    expect(preview.stdout).toMatch(/^From\s+Mallory: not one of your contacts$/m)
  })

  it('share add-contact and share identity refuse names with control characters', async () => {
    const address = (await (await unlockedServices()).services.sharing.identity()).address
    const contacts = bob.services.sharing.contacts()
    const hostile = await bob.cli(['share', 'add-contact', `Eve${REDRAW}`, address])
    expect(hostile.code).toBe(1)
    expect(hostile.stderr).toContain(
      'Name: cannot contain control characters (found U+001B at position 4).',
    )
    expect(printed(hostile)).not.toMatch(RAW)
    const reversed = await bob.cli(['share', 'add-contact', `Eve ${RLO}bob`, address])
    expect(reversed.code).toBe(1)
    expect(reversed.stderr).toContain('(found U+202E at position 5)')
    expect(printed(reversed)).not.toMatch(RAW)
    expect(bob.services.sharing.contacts()).toEqual(contacts)

    const renamed = await bob.cli(['share', 'identity', '--name', `Bob${REDRAW}`])
    expect(renamed.code).toBe(1)
    expect(renamed.stderr).toContain('Name: cannot contain control characters')
    expect(printed(renamed)).not.toMatch(RAW)
    expect((await bob.services.sharing.identity()).name).toBe('Bob')
  })

  it('ls, show, share contacts and share ls escape what an older vault holds', async () => {
    // Written as a version without these checks would have stored them (raw SQL, no validation).
    const vault = await cliVault()
    const conn = canaryConnection(vault.services, 'aws', 'Prod AWS')
    const ids = environmentIds(vault.services)
    vault.services.authorizations.applyChanges({
      grants: [{ connectionId: conn.id, environmentId: ids.staging! }],
    })
    const peer = await unlockedServices()
    const contact = await vault.services.sharing.addContact({
      name: 'Eve',
      address: (await peer.services.sharing.identity()).address,
    })
    const db = vault.services.vault.database()
    const name = `Prod${REDRAW}AWS${RLO}`
    db.prepare('UPDATE connections SET name = ?, labels = ?, notes = ? WHERE id = ?').run(
      name,
      JSON.stringify([`team${RLO}`, 'ops\u0007']),
      `first line\n\tsecond${REDRAW}\u009b2K`,
      conn.id,
    )
    db.prepare('UPDATE environments SET name = ? WHERE id = ?').run(`staging${RLO}`, ids.staging!)
    db.prepare('UPDATE contacts SET name = ? WHERE id = ?').run(`Eve${REDRAW}`, contact.id)
    db.prepare(
      `INSERT INTO shares (id, created_at, expires_at, use_only, scope, connections, recipients,
         passphrase, revoked_at) VALUES (?, ?, ?, 1, ?, ?, ?, 0, NULL)`,
    ).run(
      randomUUID(),
      new Date().toISOString(),
      new Date(Date.now() + 86_400_000).toISOString(),
      JSON.stringify([`staging${RLO}`]),
      JSON.stringify([{ id: conn.id, name, slug: 'prod-aws', provider: 'aws' }]),
      JSON.stringify([
        { contactId: contact.id, name: `Eve${REDRAW}`, fingerprint: contact.fingerprint },
      ]),
    )

    const runs = {
      ls: await vault.cli(['ls']),
      show: await vault.cli(['show', 'prod-aws']),
      contacts: await vault.cli(['share', 'contacts']),
      shares: await vault.cli(['share', 'ls']),
      verify: await vault.cli(['share', 'verify-contact', contact.fingerprint]),
      authorize: await vault.cli(['authorize', 'prod-aws', 'development']),
      // Errors quote names too: the contact list of a "no such contact" hint.
      missing: await vault.cli(['share', 'verify-contact', 'Mallory']),
    }
    for (const [command, result] of Object.entries(runs)) {
      expect(result.code, `${command}: ${result.stderr}`).toBe(command === 'missing' ? 1 : 0)
      expect(printed(result), command).not.toMatch(RAW)
    }
    // Shown, escaped, rather than dropped: the user sees that something is off.
    expect(runs.ls.stdout).toContain('Prod\\x1b[1A\\x1b[2K AWS\\u202e')
    expect(runs.ls.stdout).toContain('staging\\u202e')
    expect(runs.show.stdout).toMatch(/^Labels\s+team\\u202e, ops\\x07$/m)
    // Notes keep their lines and tabs; the rest is escaped.
    expect(runs.show.stdout).toContain(
      'Notes:\n  first line\n  \tsecond\\x1b[1A\\x1b[2K\\x0d\\x9b2K\n',
    )
    expect(runs.contacts.stdout).toContain('Eve\\x1b[1A\\x1b[2K')
    expect(runs.shares.stdout).toContain('Prod\\x1b[1A\\x1b[2K AWS\\u202e')
    expect(runs.verify.stdout).toContain('Eve\\x1b[1A\\x1b[2K\\x0d is verified')
    expect(runs.missing.stderr).toContain('Contacts: Eve\\x1b[1A\\x1b[2K\\x0d.')

    // --json stays exact: the stored value, as JSON writes it.
    const json = await vault.cli(['ls', '--json'])
    expect((JSON.parse(json.stdout) as { name: string }[])[0]!.name).toBe(name)
  })
})
