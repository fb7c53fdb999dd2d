import { z } from 'zod'
import type { Logger } from '../../log'
import { decryptFieldBytes, encryptFieldBytes, IntegrityError } from '../../security/envelope'
import type { Vault } from '../vault/vault'
import { changeBodies, type ChainPin, type TeamState } from './change-chain'
import { connectionChangeBodies, teamEnvironmentSchema } from './connection-changes'
import type { AuditMark } from './team-audit'
import { restoreTeamAudit, teamAuditMark } from './team-audit-reads'
import { TeamCheckpointRepository, type TeamCheckpointHead } from './team-checkpoint-repository'
import { recallReplay, replayAt, restoreReplay } from './team-replay-memory'
import type { TeamSpaceRow } from './team-repository'

/**
 * A team's verified state kept in the vault between processes (migration 016): what the change
 * log replayed to at the vault's mark (members, roles, the connections' NON-secret fields and
 * matrix: what the signed changes say, in clear in the team database too) and where the team
 * audit trail was last found intact. There is no secret and no key in it: a sealed version and
 * its wrapped key live in the copy (team-copy.ts), never in a state. It is sealed with the
 * vault's data key all the same, bound to the vault, team, founder and head, because it is
 * TRUSTED: a new process continues from it as from its own replay (rows after its head only),
 * and someone who can edit the vault file but not reach the keychain must not be able to make
 * a reader trust a state no one verified (an older one under a newer head, a forged one).
 */
const FORMAT = 1

const position = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)
const signingKey = changeBodies['member.remove'].shape.signingKey
const head = z.object({ seq: position, hash: z.string().regex(/^[0-9a-f]{64}$/) }).strict()
const put = connectionChangeBodies['connection.put'].shape
const connection = z
  .object({
    id: put.connectionId,
    name: put.name,
    provider: put.provider,
    authMode: put.authMode,
    fields: put.fields,
    version: put.version,
    secretsHash: put.secretsHash,
    environments: z.array(teamEnvironmentSchema),
    author: signingKey,
    at: put.at,
    seq: position,
  })
  .strict()
const storedState = z
  .object({
    format: z.literal(FORMAT),
    teamId: z.string().min(1).max(100),
    name: changeBodies['team.found'].shape.name,
    founder: signingKey,
    members: z.array(changeBodies['member.add'].extend({ sinceSeq: position }).strict()),
    everMembers: z.array(signingKey),
    head,
    connections: z.array(connection),
    removed: z.array(put.connectionId),
    keysLeftAt: position,
  })
  .strict()
type StoredState = z.infer<typeof storedState>

const sameHead = (a: { seq: number; hash: string }, b: { seq: number; hash: string }) =>
  a.seq === b.seq && a.hash === b.hash

/** The vault's checkpoints of its teams: restored into a new process, written with the mark. */
export class TeamCheckpoints {
  private repository: TeamCheckpointRepository | undefined

  constructor(
    private readonly vault: Vault,
    private readonly log: Logger,
  ) {}

  private repo(): TeamCheckpointRepository {
    const db = this.vault.database()
    if (this.repository?.db !== db) this.repository = new TeamCheckpointRepository(db)
    return this.repository
  }

  /**
   * When this process has no state to continue from at the vault's mark (a new process), takes
   * the checkpoint's state, if it is this team's, of the pinned founder, at exactly that mark, opens
   * with the vault key and is a well-formed state. Anything else is ignored (the read then
   * replays the whole log, and the mark's write replaces it).
   */
  restore(row: TeamSpaceRow): void {
    const seen = { seq: row.seen_seq, hash: row.seen_hash }
    const pin: ChainPin = { teamId: row.team_id, founderKey: row.founder_key, seen }
    if (seen.seq === 0 || recallReplay(pin)) return
    const stored = this.repo().get(row.team_id)
    if (!stored) return
    if (stored.founder_key !== row.founder_key || !sameHead(headOf(stored), seen)) {
      // Older than the mark (a command wrote changes after its read): nothing wrong with it.
      this.log.debug('team.checkpoint', { team: row.name, ignored: 'not at the vault mark' })
      return
    }
    const restored = this.open(stored)
    if (typeof restored === 'string') {
      this.log.warn('team.checkpoint', { team: row.name, ignored: restored })
      this.repo().remove(row.team_id)
      return
    }
    restoreReplay(pin, restored.state)
    if (restored.audit) restoreTeamAudit(pin, restored.audit)
  }

  /**
   * What to write with the mark `head` (in its transaction), or undefined when nothing changed:
   * the state this process verified at `head` when the checkpoint is at another head, or only
   * the audit mark when that alone moved (it moves with every use; the state with a change).
   * Sealed here, before the caller's transaction, which then only writes.
   */
  writeFor(row: TeamSpaceRow, at: { seq: number; hash: string }): (() => void) | undefined {
    const pin: ChainPin = { teamId: row.team_id, founderKey: row.founder_key }
    const state = replayAt(pin, at)
    if (!state || state.name === undefined) return undefined
    const audit = teamAuditMark(pin)
    const repo = this.repo()
    const stored = repo.head(row.team_id)
    if (stored && stored.founder_key === row.founder_key && sameHead(headOf(stored), at)) {
      const kept = stored.audit ? this.openAudit(stored, stored.audit) : undefined
      if (kept === audit || (kept && audit && sameHead(kept, audit))) return undefined
      const sealed = audit ? this.seal(row, at, 'audit', JSON.stringify(audit)) : null
      return () => repo.setAudit(row.team_id, sealed)
    }
    const checkpoint = {
      team_id: row.team_id,
      founder_key: row.founder_key,
      head_seq: at.seq,
      head_hash: at.hash,
      state: this.seal(row, at, 'state', JSON.stringify(stateJson(state))),
      audit: audit ? this.seal(row, at, 'audit', JSON.stringify(audit)) : null,
    }
    return () => repo.put(checkpoint)
  }

  /** The stored checkpoint opened and checked, or why it cannot be used. */
  private open(stored: TeamCheckpointHead & { state: Buffer }) {
    const text = this.unseal(stored, 'state', stored.state)
    if (text === undefined) return 'it does not open with the vault key'
    const parsed = storedState.safeParse(parseJson(text))
    if (!parsed.success) return 'its content is not a team state'
    const state = stateOf(parsed.data)
    if (
      !state ||
      state.teamId !== stored.team_id ||
      state.founder !== stored.founder_key ||
      !sameHead(state.head, headOf(stored))
    )
      return 'its content is not the state of its team and head'
    const audit = stored.audit ? this.openAudit(stored, stored.audit) : undefined
    if (audit === null) return 'its audit mark does not open'
    return { state, audit }
  }

  /** The audit mark, or null when it does not open or is not one. */
  private openAudit(stored: TeamCheckpointHead, sealed: Buffer): AuditMark | null {
    const text = this.unseal(stored, 'audit', sealed)
    const parsed = head.safeParse(text === undefined ? undefined : parseJson(text))
    return parsed.success ? parsed.data : null
  }

  private seal(row: TeamSpaceRow, at: { seq: number; hash: string }, part: Part, text: string) {
    const binding = this.binding(row.team_id, row.founder_key, at, part)
    return encryptFieldBytes(this.vault.requireKey(), Buffer.from(text, 'utf8'), binding)
  }

  private unseal(stored: TeamCheckpointHead, part: Part, sealed: Buffer): string | undefined {
    const binding = this.binding(stored.team_id, stored.founder_key, headOf(stored), part)
    try {
      return decryptFieldBytes(this.vault.requireKey(), sealed, binding).toString('utf8')
    } catch (error) {
      if (error instanceof IntegrityError) return undefined
      throw error
    }
  }

  /**
   * The vault's AEAD binding (envelope.ts, as for a connection's secret field): a checkpoint
   * opens only in this vault, for this team, pinned founder and head, as what it was sealed as.
   */
  private binding(
    teamId: string,
    founderKey: string,
    at: { seq: number; hash: string },
    part: Part,
  ) {
    return {
      vaultId: this.vault.vaultId(),
      connectionId: `team-checkpoint/${teamId}`,
      field: `${part}/${founderKey}/${at.seq}/${at.hash}`,
      secretVersion: FORMAT,
    }
  }
}

type Part = 'state' | 'audit'

const headOf = (stored: TeamCheckpointHead) => ({ seq: stored.head_seq, hash: stored.head_hash })

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** The state as stored: maps as arrays; names by connection left out (rebuilt from them). */
function stateJson(state: TeamState): StoredState {
  return {
    format: FORMAT,
    teamId: state.teamId,
    name: state.name!,
    founder: state.founder,
    members: [...state.members.values()],
    everMembers: [...state.everMembers],
    head: state.head,
    connections: [...state.connections.live.values()],
    removed: [...state.connections.removed],
    keysLeftAt: state.keysLeftAt,
  }
}

/** The state a stored one describes, or undefined when it does not hold together. */
function stateOf(stored: StoredState): TeamState | undefined {
  const live = new Map(stored.connections.map((c) => [c.id, c] as const))
  const names = new Map(stored.connections.map((c) => [c.name.toLowerCase(), c.id] as const))
  const members = new Map(stored.members.map((m) => [m.signingKey, m] as const))
  if (live.size !== stored.connections.length || names.size !== live.size) return undefined
  if (members.size !== stored.members.length) return undefined
  return {
    teamId: stored.teamId,
    name: stored.name,
    founder: stored.founder,
    members,
    everMembers: new Set(stored.everMembers),
    head: stored.head,
    connections: { live, removed: new Set(stored.removed), names },
    keysLeftAt: stored.keysLeftAt,
    lastSeq: stored.head.seq,
  }
}
