// Sharing figures: exporting 1,000 connections to a contact and importing them into
// a second vault (decrypt, verify, one transaction). share_1000_ms = export + import, the median
// over fresh recipient vaults; the preview (the same decrypt and verify, no writes) apart.
import { performance } from 'node:perf_hooks'
import { providers } from '../src/shared/providers'
import { canaryValues } from '../test/catalog-values'
import { unlockedServices } from '../test/services'
import { report, round, summarize } from './lib/measure'

const COUNT = 1000
const RUNS = 5

async function main(): Promise<void> {
  const alice = await unlockedServices()
  const aws = providers.find((provider) => provider.id === 'aws')!
  const ids = alice.services.connections.createMany(
    Array.from({ length: COUNT }, (_, i) => ({
      name: `aws-${String(i).padStart(4, '0')}`,
      provider: 'aws',
      authMode: 'inline',
      values: canaryValues(aws, 'inline').values,
    })),
  )
  const exportMs: number[] = []
  const previewMs: number[] = []
  const importMs: number[] = []
  const totalMs: number[] = []
  let bytes = 0
  for (let run = 0; run < RUNS + 1; run++) {
    const bob = await unlockedServices()
    const contact = await alice.services.sharing.addContact({
      name: `Bob ${run}`,
      address: (await bob.services.sharing.identity()).address,
    })
    const t0 = performance.now()
    const share = await alice.services.sharing.export({
      connectionIds: ids,
      to: { kind: 'contacts', contactIds: [contact.id] },
      environments: ['staging', 'production'],
    })
    const t1 = performance.now()
    const preview = await bob.services.sharing.importPreview({ data: share.bytes })
    const t2 = performance.now()
    const result = await bob.services.sharing.importApply({
      source: { data: share.bytes },
      shareId: preview.shareId,
      trustSender: true,
      confirmProtected: true,
    })
    const t3 = performance.now()
    if (result.created.length !== COUNT) throw new Error(`imported ${result.created.length}`)
    bob.services.vault.close()
    if (run === 0) continue // warm-up
    bytes = share.bytes.length
    exportMs.push(t1 - t0)
    previewMs.push(t2 - t1)
    importMs.push(t3 - t2)
    totalMs.push(t1 - t0 + (t3 - t2))
  }
  report({
    connections: COUNT,
    runs: RUNS,
    share_bytes: bytes,
    export_ms: round(summarize(exportMs).median, 1),
    import_preview_ms: round(summarize(previewMs).median, 1),
    import_apply_ms: round(summarize(importMs).median, 1),
    share_1000_ms: round(summarize(totalMs).median, 1),
    share_1000_p95_ms: round(summarize(totalMs).p95, 1),
  })
}

void main()
