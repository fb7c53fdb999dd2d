import { BridgekeepError } from '../../../shared/errors'
import { personNameSchema, type Contact } from '../../../shared/sharing'
import { parseInput } from '../../../shared/validation'
import type { Logger } from '../../log'
import type { AuditService } from '../audit/audit-service'
import type { EventBus } from '../events/event-bus'
import type { ConnectionsService } from '../connections/connections-service'
import type { EnvironmentsService } from '../environments/environments-service'
import type { ResolutionService } from '../resolution/resolution-service'
import type { UseSecrets } from '../references/secrets-for-use'
import { parseAddress } from '../sharing/share-address'
import type { UnlockedIdentity } from '../sharing/identity'
import type { Vault } from '../vault/vault'
import type { TeamMember, TeamRole } from './change-chain'
import { memberView, requireAdmin, requireTeamName, type MemberView } from './team-members'
import type { TeamSpaceRow } from './team-repository'
import type { TeamRotations } from './team-rotations'
import { TeamSpaces, type TeamSummary } from './team-spaces'
import { TeamCopy } from './team-copy'
import { teamRoleName } from '../../db/team-migrations'
import { teamFounding } from './team-founding'
import { appendChange, appendTeamAudit, verifyTeam } from './team-session'
import { actorOf, withVerifiedTeam, type TeamWork } from './team-access'
import { shareKeysWith } from './team-connection-keys'
import { changeRole, removeMember, type MemberChangeContext } from './team-member-changes'
import type { TeamStore } from './team-database-repository'
import { migrateTeamSchema, requireTeamSchema } from './team-schema-repository'
import { useTeamDatabase, type TeamDatabase, type UsedDatabase } from './team-database'
import { pinFounder } from './founder-pin'
import { loginGrant, requireLogin, type LoginGrant } from './team-login-grants'
import { teamVerification, type TeamVerification } from './team-verification'

export interface TeamServiceOptions {
  vault: Vault
  audit: AuditService
  /** `teams:listChanged` when this vault creates or joins a team (the app's watches follow it). */
  events: Pick<EventBus, 'emit'>
  connections: ConnectionsService
  environments: EnvironmentsService
  resolution: ResolutionService
  useSecrets: UseSecrets
  /** This vault's sharing identity, unlocked (its keys are the member's keys in every team). */
  identity: () => Promise<UnlockedIdentity>
  contacts: () => Contact[]
  /** What a full member who left could read, kept until rotated (team-rotations.ts). */
  rotations: TeamRotations
  log: Logger
  now?: () => Date
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
  private readonly spaces: TeamSpaces
  private readonly copy: TeamCopy
  private readonly memberChanges: MemberChangeContext

  constructor(private readonly options: TeamServiceOptions) {
    this.spaces = new TeamSpaces(options)
    this.copy = new TeamCopy(options.vault, () => this.now())
    this.memberChanges = {
      find: (teamName) => this.spaces.find(teamName),
      identity: options.identity,
      copy: this.copy,
      rotations: options.rotations,
      log: options.log,
      now: () => this.now(),
      withTeam: (row, detail, work) => this.withTeam(row, detail, work),
      audit: (action, row, detail) => this.audit(action, row, detail),
    }
  }

  private now(): string {
    return (this.options.now?.() ?? new Date()).toISOString()
  }

  /** The team spaces this vault belongs to (from the vault alone: no database is asked). */
  list(): TeamSummary[] {
    return this.spaces.list()
  }

  async init(database: TeamDatabase, rawName: string): Promise<TeamSummary> {
    const name = requireTeamName(rawName)
    this.spaces.requireFreeName(name)
    const at = this.now()
    const { id, founder, change, audit } = teamFounding(await this.options.identity(), name, at)
    const dbRole = teamRoleName(id)
    const row = await this.withDatabase(
      database,
      `Created team space ${name}`,
      async (store, used) => {
        await migrateTeamSchema(store)
        await store.createTeam(
          { id, name, dbRole, founderKey: founder.signingKey },
          change,
          founder,
          audit,
        )
        const head = { seq: 1, hash: change.hash }
        return this.spaces.pin({ id, name, founderKey: founder.signingKey, head }, used, at)
      },
    )
    this.audit('team.create', row, `Created team space ${name} (database role ${teamRoleName(id)})`)
    this.options.events.emit('teams:listChanged', {})
    return this.spaces.summary(row)
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
    this.spaces.requireFreeName(name)
    const me = await this.options.identity()
    const at = this.now()
    const row = await this.withDatabase(
      database,
      `Joined team space ${name}`,
      async (store, used) => {
        await requireTeamSchema(store)
        const team = (await store.teams()).find((t) => t.name.toLowerCase() === name.toLowerCase())
        if (!team)
          throw new BridgekeepError(
            'NOT_FOUND',
            `No team named ${name} is visible to this login on ${store.where}.`,
            'Check the name with the team admin, and that the database administrator granted your login the team role.',
          )
        // One read of the log: the founder is pinned from it, then it is verified against the pin.
        const log = await store.changes(team.id)
        const founderKey = pinFounder(log, founderFingerprint, this.options.contacts())
        const pin = { teamId: team.id, founderKey }
        const verified = await verifyTeam(store, pin, { full: true, log })
        if (!verified.state.members.has(me.address.signingKey))
          throw new BridgekeepError(
            'FORBIDDEN',
            `This vault is not a member of team ${team.name} yet.`,
            `Ask a team admin to run: bridgekeep team invite ${me.address.address} --role member`,
          )
        await appendTeamAudit(store, team.id, actorOf(me), 'member.join', `${me.name} joined`, at)
        const joined = this.spaces.pin(
          { id: team.id, name: team.name, founderKey, head: verified.state.head },
          used,
          at,
        )
        this.copy.keepJoined(joined, log)
        return joined
      },
    )
    this.audit('team.join', row, `Joined team space ${row.name}`)
    this.options.events.emit('teams:listChanged', {})
    return this.spaces.summary(row)
  }

  /**
   * Adds a member. Inviting a member again with the role they have writes nothing (so a command
   * whose reply was lost can simply run again); with `dbLogin`, their login is granted the
   * database role of their team role (see team-login-grants.ts).
   */
  async invite(
    teamName: string | undefined,
    address: string,
    role: TeamRole,
    memberName?: string,
    dbLogin?: string,
  ) {
    const parsed = parseAddress(address)
    requireLogin(dbLogin)
    const name = parseInput(
      personNameSchema,
      memberName ??
        this.options.contacts().find((c) => c.address === parsed.address)?.name ??
        `Member ${parsed.fingerprint.slice(0, 9)}`,
    )
    const row = this.spaces.find(teamName)
    const me = await this.options.identity()
    let added = false
    let database: LoginGrant | undefined
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
        requireAdmin(team.state, me.address.signingKey, 'add members')
        const already = team.state.members.get(parsed.signingKey)
        if (already && (already.role !== role || already.ageRecipient !== parsed.ageRecipient))
          throw new BridgekeepError(
            'CONFLICT',
            `${already.name} is already a member of ${row.name}.`,
            'To give them another role: bridgekeep team role <member> --role <role>',
          )
        added = !already
        if (already) {
          database = await loginGrant(store, row.team_id, dbLogin, { to: role })
          return undefined
        }
        const { signingKey, ageRecipient } = member
        const head = await appendChange(
          store,
          team,
          actorOf(me),
          'member.add',
          { signingKey, ageRecipient, name, role },
          { set: member },
          { action: 'member.add', detail: `${name} added as ${role}`, at: this.now() },
        )
        database = await loginGrant(store, row.team_id, dbLogin, { to: role })
        await shareKeysWith(store, row, me, member)
        return head
      },
    )
    if (added) this.audit('team.invite', row, `Added ${name} (${parsed.fingerprint}) as ${role}`)
    return {
      team: row.name,
      name,
      role,
      fingerprint: parsed.fingerprint,
      added,
      database: database!,
    }
  }

  /** Removes a member by a signed change; a full member's leaving re-keys (team-member-changes.ts). */
  remove(teamName: string | undefined, who: string, dbLogin?: string) {
    return removeMember(this.memberChanges, teamName, who, dbLogin)
  }

  /** Gives a member another role by a signed change (team-member-changes.ts). */
  role(teamName: string | undefined, who: string, role: TeamRole, dbLogin?: string) {
    return changeRole(this.memberChanges, teamName, who, role, dbLogin)
  }

  async members(teamName: string | undefined): Promise<TeamMembers> {
    const row = this.spaces.find(teamName)
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

  /**
   * Replays the team's change log and audit trail: what this vault trusts (founder, last
   * trusted change, members, audit entries) and every warning, each naming its row.
   */
  async verify(teamName: string | undefined): Promise<TeamVerification> {
    const row = this.spaces.find(teamName)
    let result: TeamVerification | undefined
    await this.withTeam(
      row,
      `Verified team space ${row.name}`,
      async (_store, team) => {
        result = teamVerification(row.name, team)
        return undefined
      },
      // The full replay: where an edit of an old row in the database is found.
      { full: true },
    )
    return result!
  }

  // --- the team database ---

  private withDatabase<T>(
    database: TeamDatabase,
    detail: string,
    work: (store: TeamStore, used: UsedDatabase) => Promise<T>,
  ): Promise<T> {
    return useTeamDatabase(this.options, database, detail, work)
  }

  private withTeam(
    row: TeamSpaceRow,
    detail: string,
    work: TeamWork,
    options: { full?: boolean } = {},
  ): Promise<void> {
    return withVerifiedTeam({ ...this.options, spaces: this.spaces }, row, detail, work, options)
  }

  private audit(
    action: 'team.create' | 'team.join' | 'team.invite' | 'team.remove' | 'team.role',
    row: TeamSpaceRow,
    detail: string,
  ): void {
    this.options.audit.record({
      action,
      target: { type: 'team', id: row.team_id, name: row.name },
      detail,
    })
  }
}
