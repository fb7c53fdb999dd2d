import {
  auditActionLabel,
  type AuditDamageKind,
  type AuditVerification,
} from '../../../shared/audit'
import { chainHash, entryMac, GENESIS_HASH, headMac } from './audit-chain'
import type { AuditRepository } from './audit-repository'
import { readableTime } from '../../../shared/wording'

/**
 * Walks the chain from the first entry, checking three things:
 * - links: each entry must hash (with its stored predecessor's hash) to its own stored hash, and
 *   ids must follow each other: an altered entry breaks its own link only; removed entries
 *   break the link of the entry after the gap;
 * - MACs: each entry the head vouches for must carry a MAC of its hash under the audit key: a
 *   chain rebuilt without the key links up but carries none that verifies (rewritten);
 * - the head: its MAC must verify, the trail must reach as far as it says (truncated) and pass
 *   through the hash it names, and no entry after it may carry a MAC (an older head put back).
 * MACs are compared as plain strings: they are not secret, and nothing here is an oracle.
 */
export function verifyTrail(repo: AuditRepository, key: Buffer): AuditVerification {
  const stored = repo.head()
  const head = stored?.head
  let status: AuditVerification['seal']['status'] = !stored
    ? 'missing'
    : stored.mac === null
      ? 'unsealed'
      : stored.mac === headMac(key, head!)
        ? 'valid'
        : 'forged'
  const vouched = status === 'valid' ? head!.entries : 0
  const rows = repo.iterateWithMacs()
  let previousHash = GENESIS_HASH
  let previousId = 0
  let checked = 0
  let brokenCount = 0
  let firstBroken: AuditVerification['firstBroken'] = null
  type Found = { id: number; time: string; action: string; count: number }
  const note = (found: Found | null, id: number, time: string, action: string): Found => {
    if (!found) return { id, time, action, count: 1 }
    found.count++
    return found
  }
  /** Entries that link up but carry a MAC that does not verify. */
  let badMac: Found | null = null
  /** Entries the head vouches for that carry no MAC at all. */
  let noMac: Found | null = null
  /** The last entry the head vouches for whose MAC verifies. */
  let lastSealed = 0
  let hashAtHead: string | undefined
  let anyMac = false
  let macAfterHead = false
  let pending = 0
  for (const entry of rows) {
    checked++
    const [id, time, , , action] = entry
    const hash = entry[12]
    const mac = entry[13]
    const gap = id !== previousId + 1
    // chainHash hashes the content columns only, so the MAC at the end is left out.
    const linked = !gap && chainHash(previousHash, entry) === hash
    if (!linked) {
      brokenCount++
      firstBroken ??= { id, time, action, reason: gap ? 'gap' : 'altered' }
    }
    if (mac !== null) anyMac = true
    const macOk = mac !== null && mac === entryMac(key, hash)
    if (macOk && id <= vouched) lastSealed = id
    if (id === vouched) hashAtHead = hash
    if (mac === null) {
      if (id <= vouched) noMac = note(noMac, id, time, action)
      else pending++
    } else if (macOk) {
      if (id > vouched && status === 'valid') macAfterHead = true
      // An entry that does not link is reported as altered already; one that links up but
      // carries a MAC that fails was rebuilt by someone without the key.
    } else if (linked) {
      badMac = note(badMac, id, time, action)
    }
    previousHash = hash
    previousId = id
  }
  if (status === 'unsealed' && anyMac) status = 'missing'
  if (macAfterHead) status = 'stale'
  // Truncated: the head vouches for more sealed entries than remain. Entries without a MAC
  // after the last sealed one are not the sealed ones: they were recorded after the cut (the
  // app keeps recording, unsealed, once the head no longer checks out).
  const unsealedTail = noMac !== null && noMac.id > lastSealed
  const remaining = unsealedTail ? noMac!.id - 1 : Math.min(previousId, vouched)
  const truncated =
    status === 'valid' && remaining < vouched
      ? { sealed: vouched, found: remaining, missing: vouched - remaining }
      : null
  // Otherwise an entry without its MAC had it stripped: part of a rewrite.
  let rewritten: AuditVerification['rewritten'] = badMac
  if (noMac && !unsealedTail) {
    rewritten =
      badMac && badMac.id < noMac.id
        ? { ...badMac, count: badMac.count + noMac.count }
        : { ...noMac, count: noMac.count + (badMac?.count ?? 0) }
  }
  if (
    status === 'valid' &&
    !truncated &&
    !rewritten &&
    brokenCount === 0 &&
    hashAtHead !== undefined &&
    hashAtHead !== head!.lastHash
  ) {
    // The trail no longer passes through the point the head vouches for.
    const at = repo.entryAt(vouched)!
    rewritten = { id: vouched, ...at, count: 1 }
  }
  const damage: AuditDamageKind[] = []
  if (brokenCount > 0) damage.push('altered')
  if (truncated) damage.push('truncated')
  if (rewritten) damage.push('rewritten')
  if (status === 'missing') damage.push('head-missing')
  if (status === 'forged' || status === 'stale') damage.push('head-forged')
  const seal: AuditVerification['seal'] = {
    status,
    entries: status === 'valid' ? vouched : 0,
    beforeKeying: status === 'valid' ? head!.beforeKeying : 0,
    keyedAt: status === 'valid' ? head!.keyedAt : null,
    whileLocked: status === 'valid' ? head!.whileLocked : 0,
    pending: status === 'valid' || status === 'unsealed' ? pending : 0,
  }
  const result = { checked, brokenCount, firstBroken, truncated, rewritten, seal, damage }
  return { ok: damage.length === 0, ...result, message: verificationMessage(result) }
}
const count = (n: number) => n.toLocaleString('en-US')
const entries = (n: number) => `${count(n)} ${n === 1 ? 'entry' : 'entries'}`
// The action as the Audit screen names it, so the warning can be matched to a row there.
const at = (entry: { id: number; time: string; action: string }) =>
  `entry #${entry.id} (${readableTime(entry.time)}, ${auditActionLabel(entry.action)})`

function verificationMessage(result: Omit<AuditVerification, 'ok' | 'message'>): string {
  const { checked, brokenCount, firstBroken, truncated, rewritten, seal } = result
  const sentences: string[] = []
  if (firstBroken) {
    const why =
      firstBroken.reason === 'gap'
        ? 'entries before it were removed'
        : 'it was altered after it was written'
    const more = brokenCount > 1 ? ` (${brokenCount - 1} more broken after it)` : ''
    sentences.push(
      `The audit trail was tampered with: ${at(firstBroken)} does not match the chain — ${why}${more}.`,
    )
  }
  if (truncated) {
    const { sealed, found, missing } = truncated
    const after = checked - found
    sentences.push(
      `The audit trail was truncated: its seal vouches for ${entries(sealed)} but only the first ${count(found)} remain — the last ${missing === 1 ? 'entry was' : `${count(missing)} were`} removed.` +
        (after > 0
          ? ` The ${entries(after)} after #${found} carry no seal: recorded after the cut, or rewritten without the vault key.`
          : ''),
    )
  }
  if (rewritten) {
    const more = rewritten.count > 1 ? ` and ${count(rewritten.count - 1)} more after it` : ''
    sentences.push(
      `The audit trail was rewritten: ${at(rewritten)}${more} ${rewritten.count > 1 ? 'link' : 'links'} up but ${rewritten.count > 1 ? 'do' : 'does'} not carry the vault's seal — the chain was rebuilt without the vault key.`,
    )
  }
  if (seal.status === 'missing') {
    sentences.push(
      "The audit trail's seal is missing: it was removed, so entries cut from the end would not show.",
    )
  } else if (seal.status === 'forged') {
    sentences.push("The audit trail's seal does not verify: it was forged or altered.")
  } else if (seal.status === 'stale') {
    sentences.push(
      "The audit trail's seal was replaced with an older one: entries after it carry the vault's seal.",
    )
  }
  if (sentences.length > 0) return sentences.join(' ')

  if (checked === 0) return 'The audit trail is empty.'
  if (seal.status === 'unsealed') {
    return `All ${count(checked)} entries link up, but the trail is not sealed yet: the next unlock seals it.`
  }
  const notes = [`All ${count(checked)} entries verify.`]
  if (seal.beforeKeying > 0) {
    notes.push(
      `${count(seal.beforeKeying)} of them ${seal.beforeKeying === 1 ? 'was' : 'were'} written by an earlier version before the trail was keyed, and sealed at the first unlock after the upgrade${seal.keyedAt ? ` (${seal.keyedAt})` : ''}: until then the hash chain alone protected them.`,
    )
  }
  if (seal.whileLocked > 0) {
    notes.push(
      `${entries(seal.whileLocked)} recorded while the vault was locked ${seal.whileLocked === 1 ? 'was' : 'were'} sealed at the next unlock.`,
    )
  }
  if (seal.pending > 0) {
    notes.push(
      `${entries(seal.pending)} recorded while the vault was locked ${seal.pending === 1 ? 'is' : 'are'} not sealed yet: the next entry recorded while unlocked, or the next unlock, seals ${seal.pending === 1 ? 'it' : 'them'}.`,
    )
  }
  if (seal.whileLocked > 0 || seal.pending > 0) {
    notes.push(
      'Until sealed, entries recorded while locked are protected by the hash chain only: any removed from the end before that unlock would not show.',
    )
  }
  return notes.join(' ')
}
