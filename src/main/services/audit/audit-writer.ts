import type { Logger } from '../../log'
import {
  chainHash,
  entryMac,
  GENESIS_HASH,
  headMac,
  type AuditHead,
  type AuditRowValues,
} from './audit-chain'
import type { AuditRepository } from './audit-repository'

/** A head this writer checked (or wrote) under the current audit key, with its MAC. */
interface SealedHead {
  head: AuditHead
  mac: string
}

/**
 * The newest entry as this writer last wrote or read it, and the sealed head when it checked
 * out. `tentative`: written inside a caller's transaction, which may still roll back; `stamp`
 * says what else had written by then, so the next append can tell whether anything did since.
 */
interface Tip {
  id: number
  hash: string
  tentative: boolean
  stamp?: { dataVersion: number; writes: number }
  sealed?: SealedHead
}

/** Why the head cannot be built on: sealing stops rather than paper over the evidence. */
type HeadDamage = 'missing' | 'forged' | 'truncated' | 'rewritten' | 'stale'

export interface AuditWriterOptions {
  log: Logger
  now: () => Date
}

/**
 * Keeps the chain: appends entries (hash-chained, and with the audit key MAC'd, moving the sealed
 * head along) and seals entries recorded while locked. It remembers the newest entry and the
 * sealed head, so appending does not read them back each time; it reads them again whenever
 * something else may have written since (a rollback, another process, an unlock).
 */
export class AuditWriter {
  /**
   * The newest entry, once read, and the sealed head when it checked out: appending chains (and
   * seals) from them without reading them back.
   */
  private tip: Tip | undefined
  /** The last reason sealing stopped, so the log says it once rather than on every append. */
  private damage: HeadDamage | undefined

  constructor(private readonly options: AuditWriterOptions) {}

  /** Forgets what it knew: the next append reads the chain again (a new database connection). */
  reset(): void {
    this.tip = undefined
  }

  /**
   * Forgets the sealed head after a re-key: it is read again next time, under whichever key is
   * then current (the re-key's transaction may roll back).
   */
  forgetSeal(): void {
    if (this.tip) this.tip = { id: this.tip.id, hash: this.tip.hash, tentative: true }
  }

  /**
   * Appends the entry `row` builds for the next id and returns that id. `tentative`: inside a
   * caller's transaction, which may still roll back; the tip is then trusted next time only if
   * nothing else has written since (a rollback shows in max(id)).
   */
  append(
    repo: AuditRepository,
    key: Buffer | undefined,
    tentative: boolean,
    row: (id: number) => AuditRowValues,
  ): number {
    const maxId = repo.maxId()
    let tip = this.tip
    const dataVersion = tip?.tentative ? repo.dataVersion() : undefined
    if (
      !tip ||
      tip.id !== maxId ||
      (tip.tentative &&
        (tip.stamp?.dataVersion !== dataVersion || tip.stamp?.writes !== repo.writeCount())) ||
      // Keyed, with entries recorded while locked (or a head not checked yet): seal them first.
      (key && tip.sealed?.head.entries !== tip.id)
    ) {
      // First append, a rollback, another writer (the CLI) appended, or the vault was unlocked
      // since.
      tip = this.sync(repo, key, tentative, maxId)
    }
    const id = tip.id + 1
    const values = row(id)
    const hash = chainHash(tip.hash, values)
    values[12] = hash
    // Keyed only on top of a sealed head that reaches the tip; otherwise (locked, or a damaged
    // head that must stay as evidence) the entry is appended with its plain hash only.
    let sealed = tip.sealed
    const keyed = key !== undefined && sealed?.head.entries === tip.id
    repo.insert(values, keyed ? entryMac(key, hash) : null)
    if (keyed && sealed) {
      const head: AuditHead = { ...sealed.head, entries: id, lastHash: hash }
      const mac = headMac(key, head)
      sealed = repo.advanceHead(id, hash, mac) ? { head, mac } : undefined
    }
    this.tip = { id, hash, tentative, ...(sealed ? { sealed } : {}) }
    if (tentative) {
      // No other connection can commit while this transaction holds the write lock.
      this.tip.stamp = {
        dataVersion: dataVersion ?? repo.dataVersion(),
        writes: repo.writeCount(),
      }
    }
    return id
  }

  /**
   * Reads the newest entry and, with the key, checks the sealed head and seals the entries after
   * it. A head that does not check out is left alone: sealing over it would erase the evidence.
   */
  sync(
    repo: AuditRepository,
    key: Buffer | undefined,
    tentative: boolean,
    maxId = repo.maxId(),
  ): Tip {
    const tip = { id: maxId, hash: repo.lastHash() ?? GENESIS_HASH, tentative }
    const sealed = key ? this.sealTail(repo, key, tip) : undefined
    this.tip = { ...tip, ...(sealed ? { sealed } : {}) }
    return this.tip
  }

  private sealTail(
    repo: AuditRepository,
    key: Buffer,
    tip: { id: number; hash: string },
  ): SealedHead | undefined {
    const stored = repo.head()
    if (!stored) return this.damaged('missing')
    let head = stored.head
    // Inside one transaction (appends in a batch), the head is the one this writer just wrote.
    const known = this.tip?.sealed
    if (
      known &&
      known.mac === stored.mac &&
      sameHead(known.head, head) &&
      known.head.entries === tip.id &&
      known.head.lastHash === tip.hash
    )
      return known
    const pristine = stored.mac === null
    if (pristine) {
      // Never sealed: a vault just created or upgraded. Unless some entry has a MAC, which means
      // the head's was stripped.
      if (repo.anyMac()) return this.damaged('missing')
      head = {
        entries: 0,
        lastHash: GENESIS_HASH,
        beforeKeying: Math.min(head.beforeKeying, tip.id),
        whileLocked: 0,
        keyedAt: this.options.now().toISOString(),
      }
    } else {
      if (stored.mac !== headMac(key, head)) return this.damaged('forged')
      if (head.entries > tip.id) return this.damaged('truncated')
      const at = head.entries === 0 ? undefined : repo.hashOf(head.entries)
      if ((at ?? GENESIS_HASH) !== head.lastHash) return this.damaged('rewritten')
    }
    this.damage = undefined
    if (head.entries === tip.id && stored.mac !== null) return { head, mac: stored.mac }
    const rows = repo.after(head.entries)
    // A MAC after the head: it was put back from an earlier state. Not ours to seal over.
    if (rows.some(([, , mac]) => mac !== null)) return this.damaged('stale')
    for (const [id, hash] of rows) repo.setMac(id, entryMac(key, hash))
    const lastRow = rows.at(-1)
    const sealedNow = pristine ? Math.max(0, rows.length - head.beforeKeying) : rows.length
    head = {
      ...head,
      entries: lastRow?.[0] ?? head.entries,
      lastHash: lastRow?.[1] ?? head.lastHash,
      whileLocked: head.whileLocked + sealedNow,
    }
    const mac = headMac(key, head)
    repo.writeHead(head, mac)
    if (rows.length > 0 || pristine) {
      this.options.log.info('audit.sealed', {
        whileLocked: sealedNow,
        ...(pristine ? { beforeKeying: head.beforeKeying } : {}),
      })
    }
    return { head, mac }
  }

  private damaged(reason: HeadDamage): undefined {
    if (this.damage !== reason) this.options.log.warn('audit.seal-refused', { reason })
    this.damage = reason
    return undefined
  }
}

function sameHead(a: AuditHead, b: AuditHead): boolean {
  return (
    a.entries === b.entries &&
    a.lastHash === b.lastHash &&
    a.beforeKeying === b.beforeKeying &&
    a.whileLocked === b.whileLocked &&
    a.keyedAt === b.keyedAt
  )
}
