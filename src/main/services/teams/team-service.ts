import { randomUUID } from 'node:crypto'
import { BridgekeepError } from '../../../shared/errors'
import type { Contact } from '../../../shared/sharing'
import type { Logger } from '../../log'
import type { AuditService } from '../audit/audit-service'
import type { ConnectionsService } from '../connections/connections-service'
import type { EnvironmentsService } from '../environments/environments-service'
import type { ResolutionService } from '../resolution/resolution-service'
import type { UseSecrets } from '../references/secrets-for-use'
import { fingerprintOf, parseAddress } from '../sharing/share-address'
import type { UnlockedIdentity } from '../sharing/identity'
import type { Vault } from '../vault/vault'
import { CHANGE_DOMAIN, type TeamMember, type TeamRole } from './change-chain'
import { canonicalJson, GENESIS, signRow } from './signed-chain'
import { teamAuditEntry } from './team-audit'
import { findMember, requireTeamName, type MemberView, memberView } from './team-members'
import { TeamRepository, type TeamSpaceRow } from './team-repository'
import { teamRoleName } from '../../db/team-migrations'
import { appendChange, appendTeamAudit, verifyTeam, type VerifiedTeam } from './team-session'
import { TeamStore } from './team-database-repository'

export interface TeamServiceOptions {
  vault: Vault
  audit: AuditService
  connections: ConnectionsService
  environments: EnvironmentsService
  resolution: ResolutionService
  useSecrets: UseSecrets
  /** This vault's sharing identity, unlocked (its keys are the member's keys in every team). */
  identity: () => Promise<UnlockedIdentity>
  contacts: () => Contact[]
  log: Logger
  now?: () => Date
}

/** Where a team database is: a PostgreSQL connection of this vault and the environment it is used in. */
export interface TeamDatabase {
  connection: string
  environment: string
}

export interface TeamSummary {
  id: string
  name: string
  connection: string
  environment: string
  founderKey: string
  joinedAt: string
}

export interface TeamMembers {
  team: string
  members: MemberView[]
  /** Rows of the team database that were ignored or do not add up, each named. */
  warnings: string[]
}

/**
 * Team spaces on PostgreSQL, their trust core: create a team (founding it with this vault's
 * signing key), join one (pinning the founder's key after its fingerprint was compared), add
 * and remove members by signed changes, and list members as the verified change log says. Each
 * use of the team's PostgreSQL connection is resolved and authorized like any use, and audited
 * (`team.connect`); each team action is audited locally and in the team's own signed trail.
 */
export class TeamService {
  private repository: TeamRepository | undefined

  constructor(private readonly options: TeamServiceOptions) {}

  private repo(): TeamRepository {
    const db = this.options.vault.database()
    if (this.repository?.db !== db) this.repository = new TeamRepository(db)
    return this.repository
  }

  private now(): string {
    return (this.options.now?.() ?? new Date()).toISOString()
  }

  /** The team spaces this vault belongs to (from the vault alone: no database is asked). */
  list(): TeamSummary[] {
    this.options.vault.requireKey()
    return this.repo()
      .all()
      .map((row) => this.summary(row))
  }

  async init(database: TeamDatabase, rawName: string): Promise<TeamSummary> {
    const name = requireTeamName(rawName)
    this.requireFreeLocalName(name)
    const me = await this.options.identity()
    const id = randomUUID()
    const founder: TeamMember = {
      signingKey: me.address.signingKey,
      ageRecipient: me.address.ageRecipient,
      name: me.name,
      role: 'admin',
      sinceSeq: 1,
    }
    const { signingKey, ageRecipient } = founder
    const founding = signRow(
      CHANGE_DOMAIN,
      {
        teamId: id,
        seq: 1,
        author: signingKey,
        kind: 'team.found',
        body: canonicalJson({ name, founder: { signingKey, ageRecipient, name: me.name } }),
        prevHash: GENESIS,
      },
      me.signingKey,
    )
    const at = this.now()
    const row = await this.withDatabase(
      database,
      `Created team space ${name}`,
      async (store, used) => {
        await store.migrate()
        await store.createTeam(
          { id, name, dbRole: teamRoleName(id), founderKey: signingKey },
          founding,
          founder,
        )
        const actor = { signingKey, key: me.signingKey }
        await store.appendAudit(
          teamAuditEntry(id, undefined, actor, 'team.found', `Founded by ${me.name}`, at),
          at,
        )
        return this.pin(
          { id, name, founderKey: signingKey, head: { seq: 1, hash: founding.hash } },
          used,
          at,
        )
      },
    )
    this.audit('team.create', row, `Created team space ${name} (database role ${teamRoleName(id)})`)
    return this.summary(row)
  }

  /**
   * Joins a team an admin added this vault to. The founder's key is pinned from the fingerprint
   * given (compared with the founder aloud), or from a verified contact holding the same keys.
   */
  async join(
    database: TeamDatabase,
    teamName: string,
    founderFingerprint?: string,
  ): Promise<TeamSummary> {
    const name = requireTeamName(teamName)
    this.requireFreeLocalName(name)
    const me = await this.options.identity()
    const at = this.now()
    const row = await this.withDatabase(
      database,
      `Joined team space ${name}`,
      async (store, used) => {
        await store.requireSchema()
        const team = (await store.teams()).find((t) => t.name.toLowerCase() === name.toLowerCase())
        if (!team)
          throw new BridgekeepError(
            'NOT_FOUND',
            `No team named ${name} is visible to this login on ${store.where}.`,
            'Check the name with the team admin, and that the database administrator granted your login the team role.',
          )
        const founderKey = this.pinnedFounder(
          await store.changes(team.id),
          team.id,
          founderFingerprint,
        )
        const verified = await verifyTeam(store, { teamId: team.id, founderKey })
        if (!verified.state.members.has(me.address.signingKey))
          throw new BridgekeepError(
            'FORBIDDEN',
            `This vault is not a member of team ${team.name} yet.`,
            `Ask a team admin to run: bridgekeep team invite ${me.address.address} --role member`,
          )
        await appendTeamAudit(
          store,
          team.id,
          this.actor(me),
          'member.join',
          `${me.name} joined`,
          at,
        )
        return this.pin(
          { id: team.id, name: team.name, founderKey, head: verified.state.head },
          used,
          at,
        )
      },
    )
    this.audit('team.join', row, `Joined team space ${row.name}`)
    return this.summary(row)
  }

  async invite(teamName: string | undefined, address: string, role: TeamRole, memberName?: string) {
    const parsed = parseAddress(address)
    const name =
      memberName?.trim() ||
      this.options.contacts().find((c) => c.address === parsed.address)?.name ||
      `Member ${parsed.fingerprint.slice(0, 9)}`
    const row = this.teamRow(teamName)
    const me = await this.options.identity()
    const member: TeamMember = {
      signingKey: parsed.signingKey,
      ageRecipient: parsed.ageRecipient,
      name,
      role,
      sinceSeq: 0,
    }
    await this.withTeam(
      row,
      `Added ${name} to team space ${row.name} as ${role}`,
      async (store, team) => {
        this.requireAdmin(team, me, 'add members')
        if (team.state.members.has(parsed.signingKey))
          throw new BridgekeepError(
            'CONFLICT',
            `${team.state.members.get(parsed.signingKey)!.name} is already a member of ${row.name}.`,
          )
        const { signingKey, ageRecipient } = member
        const head = await appendChange(
          store,
          team,
          this.actor(me),
          'member.add',
          { signingKey, ageRecipient, name, role },
          { set: member },
        )
        await appendTeamAudit(
          store,
          row.team_id,
          this.actor(me),
          'member.add',
          `${name} added as ${role}`,
          this.now(),
        )
        return head
      },
    )
    this.audit('team.invite', row, `Added ${name} (${parsed.fingerprint}) as ${role}`)
    return { team: row.name, name, role, fingerprint: parsed.fingerprint }
  }

  async remove(teamName: string | undefined, who: string) {
    const row = this.teamRow(teamName)
    const me = await this.options.identity()
    let removed: TeamMember | undefined
    await this.withTeam(row, `Removed ${who} from team space ${row.name}`, async (store, team) => {
      this.requireAdmin(team, me, 'remove members')
      removed = findMember(team.state, who, row.name)
      const admins = [...team.state.members.values()].filter((m) => m.role === 'admin')
      if (removed.role === 'admin' && admins.length === 1)
        throw new BridgekeepError(
          'VALIDATION',
          `${removed.name} is the team's only admin: removing them would leave ${row.name} without one.`,
          'Make another member an admin first.',
        )
      const head = await appendChange(
        store,
        team,
        this.actor(me),
        'member.remove',
        { signingKey: removed.signingKey },
        { remove: removed.signingKey },
      )
      await appendTeamAudit(
        store,
        row.team_id,
        this.actor(me),
        'member.remove',
        `${removed.name} removed`,
        this.now(),
      )
      return head
    })
    this.audit('team.remove', row, `Removed ${removed!.name} (was ${removed!.role})`)
    return { team: row.name, name: removed!.name, role: removed!.role }
  }

  async members(teamName: string | undefined): Promise<TeamMembers> {
    const row = this.teamRow(teamName)
    const me = await this.options.identity()
    let result: TeamMembers | undefined
    await this.withTeam(row, `Listed members of team space ${row.name}`, async (_store, team) => {
      result = {
        team: row.name,
        members: [...team.state.members.values()]
          .map((m) => memberView(m, m.signingKey === me.address.signingKey))
          .sort((a, b) => a.name.localeCompare(b.name)),
        warnings: team.warnings,
      }
      return undefined
    })
    return result!
  }

  // --- the team database ---

  /**
   * Runs `work` with the team database opened through the PostgreSQL connection, resolved in
   * the environment like any use: refused unless authorized, recorded as usage, audited as
   * `team.connect` (the detail says what was done).
   */
  private async withDatabase<T>(
    database: TeamDatabase,
    detail: string,
    work: (store: TeamStore, used: { connectionId: string; environmentId: string }) => Promise<T>,
  ): Promise<T> {
    return this.options.resolution.useAudited(
      {
        provider: 'postgres',
        environment: database.environment,
        name: database.connection,
        operation: 'team.connect',
        refusedDetail: `Refused: ${detail}`,
      },
      async (resolved) => {
        const config = this.options.connections.get(resolved.connection.id).config
        const { secrets } = await this.options.useSecrets(resolved.connection.id, {
          environment: resolved.environment,
          env: {},
        })
        const store = await TeamStore.open({
          host: config.host ?? '',
          port: Number(config.port ?? 5432),
          database: config.database ?? '',
          user: config.user ?? '',
          password: secrets.password ?? '',
          sslmode: config.sslmode ?? 'prefer',
          ca: config.ca_certificate,
        })
        try {
          const value = await work(store, {
            connectionId: resolved.connection.id,
            environmentId: resolved.environment.id,
          })
          return { value, detail }
        } finally {
          await store.close()
        }
      },
    )
  }

  /** Opens a joined team's database, verifies it, runs `work` and remembers the head it saw. */
  private async withTeam(
    row: TeamSpaceRow,
    detail: string,
    work: (
      store: TeamStore,
      team: VerifiedTeam,
    ) => Promise<{ seq: number; hash: string } | undefined>,
  ): Promise<void> {
    const database = this.databaseOf(row)
    await this.withDatabase(database, detail, async (store) => {
      const team = await verifyTeam(store, {
        teamId: row.team_id,
        founderKey: row.founder_key,
        seen: { seq: row.seen_seq, hash: row.seen_hash },
      })
      for (const warning of team.warnings)
        this.options.log.warn('team.warning', { team: row.name, warning })
      // A head that lost what this vault saw before keeps the old mark: the warning stays.
      const lost = team.warnings.some((w) => w.includes('which this vault verified before'))
      const head = (await work(store, team)) ?? team.state.head
      if (!lost) this.repo().markSeen(row.team_id, head.seq, head.hash)
    })
  }

  private databaseOf(row: TeamSpaceRow): TeamDatabase {
    const connection = this.options.connections.list().find((c) => c.id === row.connection_id)
    const environment = this.options.environments.list().find((e) => e.id === row.environment_id)
    if (!connection || !environment)
      throw new BridgekeepError(
        'NOT_FOUND',
        `Team space ${row.name}'s ${connection ? 'environment' : 'PostgreSQL connection'} is gone from this vault.`,
        'Restore it from the trash, or join the team again through another connection.',
      )
    return { connection: connection.slug, environment: environment.slug }
  }

  private pinnedFounder(
    changes: { seq: number; kind: string; body: string; teamId: string }[],
    teamId: string,
    given?: string,
  ): string {
    const founding = changes.find((c) => c.seq === 1 && c.kind === 'team.found')
    let claimed: { signingKey: string; ageRecipient: string; name: string } | undefined
    try {
      claimed = (JSON.parse(founding?.body ?? 'null') as { founder?: typeof claimed } | null)
        ?.founder
    } catch {
      claimed = undefined
    }
    if (
      !claimed ||
      typeof claimed.signingKey !== 'string' ||
      typeof claimed.ageRecipient !== 'string'
    )
      throw new BridgekeepError(
        'TEAM_TAMPERED',
        `Team ${teamId} has no readable founding change.`,
        'Ask the founder to check the team database.',
      )
    const fingerprint = fingerprintOf(claimed.ageRecipient, claimed.signingKey)
    const normal = (text: string) => text.replace(/\s+/g, '').toUpperCase()
    const contact = this.options
      .contacts()
      .find((c) => c.verifiedAt && normal(c.fingerprint) === normal(fingerprint))
    if (given === undefined ? contact : normal(given) === normal(fingerprint))
      return claimed.signingKey
    throw new BridgekeepError(
      'VALIDATION',
      given === undefined
        ? `To join, this vault must pin the team's founder. The database says the founder is "${claimed.name.slice(0, 100)}" with fingerprint ${fingerprint}; nothing vouches for that yet.`
        : `The founder's fingerprint in the team database (${fingerprint}) is not the one given (${given.slice(0, 40)}): this database's founder is not who you expected.`,
      given === undefined
        ? 'Compare that fingerprint with the founder aloud or in person (they see theirs with bridgekeep share identity), then run team join again with --founder "<fingerprint>".'
        : 'Do not join: check the database and the fingerprint with the founder.',
    )
  }

  private pin(
    team: { id: string; name: string; founderKey: string; head: { seq: number; hash: string } },
    used: { connectionId: string; environmentId: string },
    at: string,
  ): TeamSpaceRow {
    const row: TeamSpaceRow = {
      team_id: team.id,
      name: team.name,
      connection_id: used.connectionId,
      environment_id: used.environmentId,
      founder_key: team.founderKey,
      seen_seq: team.head.seq,
      seen_hash: team.head.hash,
      joined_at: at,
    }
    this.repo().insert(row)
    return row
  }

  private teamRow(name: string | undefined): TeamSpaceRow {
    this.options.vault.requireKey()
    const rows = this.repo().all()
    if (name !== undefined) {
      const row = this.repo().byName(name.trim())
      if (!row)
        throw new BridgekeepError(
          'NOT_FOUND',
          `This vault is in no team space named ${name.trim().slice(0, 100)}.`,
          rows.length
            ? `Its teams: ${rows.map((r) => r.name).join(', ')}.`
            : 'Create one with bridgekeep team init, or join one with bridgekeep team join.',
        )
      return row
    }
    if (rows.length === 1) return rows[0]!
    throw new BridgekeepError(
      'VALIDATION',
      rows.length === 0
        ? 'This vault is in no team space yet.'
        : `This vault is in ${rows.length} team spaces: say which with --team.`,
      rows.length === 0
        ? 'Create one with bridgekeep team init, or join one with bridgekeep team join.'
        : `Its teams: ${rows.map((r) => r.name).join(', ')}.`,
    )
  }

  private requireFreeLocalName(name: string): void {
    this.options.vault.requireKey()
    if (this.repo().byName(name))
      throw new BridgekeepError(
        'CONFLICT',
        `This vault is already in a team space named ${name}.`,
        'Choose another name.',
      )
  }

  private requireAdmin(team: VerifiedTeam, me: UnlockedIdentity, what: string): void {
    const role = team.state.members.get(me.address.signingKey)?.role
    if (role !== 'admin')
      throw new BridgekeepError(
        'FORBIDDEN',
        role
          ? `Only admins of ${team.state.name} can ${what}; you are ${role === 'use-only' ? 'a use-only member' : 'a member'}.`
          : `This vault is no longer a member of ${team.state.name}.`,
        'Ask a team admin.',
      )
  }

  private actor(me: UnlockedIdentity) {
    return { signingKey: me.address.signingKey, key: me.signingKey }
  }

  private audit(
    action: 'team.create' | 'team.join' | 'team.invite' | 'team.remove',
    row: TeamSpaceRow,
    detail: string,
  ): void {
    this.options.audit.record({
      action,
      target: { type: 'team', id: row.team_id, name: row.name },
      detail,
    })
  }

  private summary(row: TeamSpaceRow): TeamSummary {
    const connection = this.options.connections.list().find((c) => c.id === row.connection_id)
    const environment = this.options.environments.list().find((e) => e.id === row.environment_id)
    return {
      id: row.team_id,
      name: row.name,
      connection: connection?.name ?? '(deleted connection)',
      environment: environment?.name ?? '(deleted environment)',
      founderKey: row.founder_key,
      joinedAt: row.joined_at,
    }
  }
}
