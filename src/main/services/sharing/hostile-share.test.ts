import { describe, expect, it } from 'vitest'
import { unlockedServices } from '../../../../test/services'
import { attackerShare, canaryConnection, rowCounts } from '../../../../test/sharing'
import type { SharePayload } from './payload'

const errorOf = async (work: () => unknown): Promise<{ code?: string; message: string }> => {
  try {
    await work()
  } catch (error) {
    return error as { code?: string; message: string }
  }
  throw new Error('expected a failure')
}

/** Up a line, erase it, back to its start: what would overwrite "not one of your contacts". */
const REDRAW = '\u001b[1A\u001b[2K\r'
/** Right-to-left override: what follows reads backwards. */
const RLO = '\u202e'

describe('a share carrying control characters (a hostile sender)', () => {
  it('is refused, naming the field, with nothing imported', async () => {
    const b = await unlockedServices()
    // The same share without the hostile text opens: the refusals below are about the text.
    const genuine = await attackerShare(b.services)
    expect(await b.services.sharing.importPreview({ data: genuine.bytes })).toMatchObject({
      sender: { name: 'Mallory', trust: 'unknown' },
      connections: [{ slug: 'prod-aws', name: 'Prod AWS', labels: ['team'] }],
    })

    const connection = (payload: SharePayload) => payload.connections[0]!
    const cases: [string, (payload: SharePayload) => void, string][] = [
      [
        'sender name',
        (p) => (p.sender.name = `Alice${REDRAW}`),
        'the sender’s name (U+001B at position 6)',
      ],
      [
        'sender name, 8-bit CSI',
        (p) => (p.sender.name = 'Alice\u009b2K'),
        'the sender’s name (U+009B at position 6)',
      ],
      [
        'sender name, bidi override',
        (p) => (p.sender.name = `Alice ${RLO}kcab`),
        'the sender’s name (U+202E at position 7)',
      ],
      [
        'connection name',
        (p) => (connection(p).name = `Prod AWS${REDRAW}`),
        'the name of connection prod-aws (U+001B at position 9)',
      ],
      [
        'label',
        (p) => (connection(p).labels = ['team', `ab${RLO}cd`]),
        'a label of connection prod-aws (U+202E at position 3)',
      ],
      [
        'notes',
        (p) => (connection(p).notes = 'fine\n\tline\u001b]0;title\u0007'),
        'the notes of connection prod-aws (U+001B at position 11)',
      ],
      [
        'notes, carriage return',
        (p) => (connection(p).notes = `a${REDRAW.slice(-1)}b`),
        'the notes of connection prod-aws (U+000D at position 2)',
      ],
      [
        'scope',
        (p) => (p.scope = [`staging${RLO}`]),
        'an environment name of its scope (U+202E at position 8)',
      ],
      [
        'provider',
        (p) => (connection(p).provider = 'aws\u001b[2K'),
        'the provider of connection prod-aws (U+001B at position 4)',
      ],
      [
        'NUL in a name',
        (p) => (connection(p).name = 'Prod\u0000AWS'),
        'the name of connection prod-aws (U+0000 at position 5)',
      ],
    ]
    const before = rowCounts(b.services)
    for (const [what, change, where] of cases) {
      const hostile = await attackerShare(b.services, change)
      for (const attempt of [
        () => b.services.sharing.importPreview({ data: hostile.bytes }),
        () =>
          b.services.sharing.importApply({
            source: { data: hostile.bytes },
            shareId: hostile.shareId,
            trustSender: true,
          }),
      ]) {
        expect(await errorOf(attempt), what).toMatchObject({
          code: 'SHARE_MALFORMED',
          message: `The share holds a control character in ${where}: it could disguise what the share shows. Nothing was imported.`,
        })
      }
    }
    expect(rowCounts(b.services)).toEqual(before)
  })

  it('keeps line breaks and tabs in notes (the app allows them), and imports them', async () => {
    const b = await unlockedServices()
    const share = await attackerShare(b.services, (p) => {
      p.connections[0]!.notes = 'first line\n\tindented\r\nthird'
    })
    await b.services.sharing.importApply({
      source: { data: share.bytes },
      shareId: share.shareId,
      trustSender: true,
    })
    const [imported] = b.services.connections.list()
    expect(b.services.connections.get(imported!.id).notes).toBe('first line\n\tindented\nthird')
  })

  it('is not made from text an older vault holds: export refuses it, naming it', async () => {
    const a = await unlockedServices()
    const conn = canaryConnection(a.services, 'aws', 'Prod AWS')
    const db = a.services.vault.database()
    const exportIt = () =>
      a.services.sharing.export({
        connectionIds: [conn.id],
        to: { kind: 'passphrase', passphrase: 'correct horse battery staple' },
        environments: ['staging'],
      })
    // Stored before names refused control characters (written here as an old version would).
    db.prepare('UPDATE connections SET name = ? WHERE id = ?').run(`Prod AWS${REDRAW}`, conn.id)
    expect(await errorOf(exportIt)).toMatchObject({
      code: 'VALIDATION',
      message:
        'This vault holds a control character in the name of connection prod-aws (U+001B at position 9); recipients would refuse the share. Nothing was shared.',
    })
    db.prepare('UPDATE connections SET name = ? WHERE id = ?').run('Prod AWS', conn.id)
    await a.services.sharing.identity()
    db.prepare('UPDATE sharing_identity SET display_name = ?').run(`Al${RLO}ice`)
    expect(await errorOf(exportIt)).toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining(
        'in the name sent with your shares (U+202E at position 3)',
      ) as string,
    })
    expect(a.services.sharing.shares()).toEqual([])
  })
})
