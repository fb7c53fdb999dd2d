import { entryMac, headMac } from './audit-chain'
import type { AuditRepository } from './audit-repository'

/**
 * Re-keys the trail from one audit key to another and returns how many entries it carried over:
 * every MAC that verifies under the old key is recomputed under the new one. One that does not
 * verify is left as it is, so it fails under the new key too; a damaged head likewise stays
 * damaged. The append-only trigger lets MACs change only while `audit_head.rekeying` is set,
 * which this clears again; the caller runs it inside one transaction.
 */
export function rekeyTrail(repo: AuditRepository, oldKey: Buffer, newKey: Buffer): number {
  repo.setRekeying(true)
  let carried = 0
  for (const [id, hash, mac] of repo.after(0)) {
    if (mac === null || mac !== entryMac(oldKey, hash)) continue
    repo.replaceMac(id, entryMac(newKey, hash))
    carried++
  }
  const stored = repo.head()
  if (stored?.mac && stored.mac === headMac(oldKey, stored.head)) {
    repo.writeHead(stored.head, headMac(newKey, stored.head))
  }
  repo.setRekeying(false)
  return carried
}
