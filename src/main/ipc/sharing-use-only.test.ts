import { Decrypter, armor } from 'age-encryption'
import { describe, expect, it } from 'vitest'
import { allChannels } from '../../shared/ipc/contract'
import type { IpcResult } from '../../shared/ipc/result'
import { unlockedServices } from '../../../test/services'
import { canaryConnection, exchangeAddresses, twoVaults } from '../../../test/sharing'

const PASSPHRASE = 'correct horse battery staple'

/** Channels that end the sweep's subject or the session: called last, in this order. */
const LAST = ['connections:trash', 'connections:purge', 'vault:reencrypt', 'vault:lock']

/**
 * A use-only connection imported from a share: every IPC channel the page can call, with every
 * input shape that names it, never returns one of its secrets (nor puts one on the clipboard,
 * nor in a log). The same sweep over an ordinary connection does find its secret, so the sweep
 * can see a leak when there is one.
 */
describe('a use-only connection cannot be revealed through any IPC call', () => {
  it('sweeps every channel of the contract', async () => {
    const { a, b } = await twoVaults()
    const { bInA } = await exchangeAddresses(a, b)
    const sent = canaryConnection(a.services, 'aws', 'prod-aws')
    const share = await a.services.sharing.export({
      connectionIds: [sent.id],
      to: { kind: 'contacts', contactIds: [bInA] },
      environments: ['staging', 'production'],
    })
    const imported = await b.services.sharing.importApply({
      source: { data: share.bytes },
      shareId: share.shareId,
      confirmProtected: true,
    })
    const useOnlyId = imported.created[0]!.id
    const own = canaryConnection(b.services, 'aws', 'bobs-own')

    // Carol is a contact of Bob's: an export to her is decrypted here to look inside.
    const carol = await unlockedServices()
    const carolId = (
      await b.services.sharing.addContact({
        name: 'Carol',
        address: (await carol.services.sharing.identity()).address,
      })
    ).id
    const carolIdentity = await carol.services.sharing.ageIdentityForTests()

    const sweep = async (id: string, canaries: string[]) => {
      const fields = b.services.connections.get(id).secrets.map((s) => s.field)
      const inputs: unknown[] = [
        undefined,
        {},
        { id },
        { connectionId: id },
        { trash: true },
        { limit: 1000 },
        { format: 'jsonl' },
        { format: 'csv' },
        ...fields.map((field) => ({ id, field })),
        ...fields.map((field) => ({ id, secrets: { [field]: 'x'.repeat(40) } })),
        { id, values: { account_id: '999999999999' } },
        { id, name: 'renamed' },
        {
          connectionIds: [id],
          to: { kind: 'passphrase', passphrase: PASSPHRASE },
          environments: ['staging'],
          useOnly: false,
        },
        {
          connectionIds: [id],
          to: { kind: 'contacts', contactIds: [carolId] },
          environments: ['staging'],
          useOnly: false,
        },
      ]
      const channels = [
        ...allChannels().filter((c) => !LAST.includes(c)),
        ...LAST.filter((c) => allChannels().includes(c as never)),
      ]
      const seen: string[] = []
      let calls = 0
      const answered = new Set<string>()
      for (const channel of channels) {
        for (const input of inputs) {
          const result = (await b.call(channel, input)) as IpcResult<unknown>
          calls++
          if (result.ok) answered.add(channel)
          seen.push(JSON.stringify(result), b.clipboard.text)
          // An export that went through: look inside it, as its recipient would.
          const value = result.ok ? (result.value as { armored?: unknown }) : undefined
          if (channel === 'sharing:export' && typeof value?.armored === 'string') {
            const decrypter = new Decrypter()
            decrypter.addPassphrase(PASSPHRASE)
            decrypter.addIdentity(carolIdentity)
            seen.push(await decrypter.decrypt(armor.decode(value.armored), 'text'))
          }
          if (b.services.vault.status().state !== 'unlocked') {
            await b.services.vault.unlock({ method: 'keychain' })
          }
        }
      }
      seen.push(JSON.stringify(b.log.lines))
      const text = seen.join('\n')
      return { calls, answered, leaked: canaries.filter((canary) => text.includes(canary)) }
    }

    const useOnly = await sweep(useOnlyId, sent.canaries)
    expect(useOnly.calls).toBeGreaterThan(allChannels().length * 10)
    expect(useOnly.leaked).toEqual([])
    // Not a sweep of refusals only: the vault stayed open and the reads answered.
    for (const channel of [
      'connections:get',
      'connections:list',
      'audit:export',
      'sharing:shares',
    ]) {
      expect(useOnly.answered.has(channel), channel).toBe(true)
    }
    for (const channel of ['connections:reveal', 'connections:copy', 'sharing:export']) {
      expect(useOnly.answered.has(channel), channel).toBe(false)
    }
    // The attempts are refused by name and recorded.
    expect(
      b.services.audit
        .query({
          filter: { outcome: 'failure', actions: ['connection.reveal', 'connection.copy'] },
        })
        .entries.every((e) => e.detail.endsWith('USE_ONLY') || e.detail.endsWith('NOT_FOUND')),
    ).toBe(true)

    // The control: the same sweep over Bob's own connection finds its secrets.
    const control = await sweep(own.id, own.canaries)
    expect(control.leaked.length).toBeGreaterThan(0)
    expect(control.answered.has('connections:reveal')).toBe(true)
    expect(control.answered.has('sharing:export')).toBe(true)
  }, 120_000)
})
