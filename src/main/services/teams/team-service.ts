import { randomUUID } from 'node:crypto'
import { BridgekeepError } from '../../../shared/errors'
import { personNameSchema, type Contact } from '../../../shared/sharing'
import { parseInput } from '../../../shared/validation'
import type { Logger } from '../../log'
import type { AuditService } from '../audit/audit-service'
import type { ConnectionsService } from '../connections/connections-service'
import type { EnvironmentsService } from '../environments/environments-service'
import type { ResolutionService } from '../resolution/resolution-service'
import type { UseSecrets } from '../references/secrets-for-use'
import { parseAddress } from '../sharing/share-address'
import type { UnlockedIdentity } from '../sharing/identity'
import type { Vault } from '../vault/vault'
import { CHANGE_DOMAIN, type TeamMember, type TeamRole } from './change-chain'
import { canonicalJson, GENESIS, signRow } from './signed-chain'
import { teamAuditEntry } from './team-audit'
import {
  findMember,
  memberView,
  requireAnotherAdmin,
  requireTeamName,
  type MemberView,
} from './team-members'
import type { TeamSpaceRow } from './team-repository'
import { TeamSpaces, type TeamSummary } from './team-spaces'
import { teamRoleName } from '../../db/team-migrations'
import { appendChange, appendTeamAudit, verifyTeam, type VerifiedTeam } from './team-session'
import { actorOf, requireAdmin, withVerifiedTeam } from './team-access'
import { rekeyAll, shareKeysWith } from './team-connection-keys'
import type { TeamStore } from './team-database-repository'
import { useTeamDatabase, type TeamDatabase, type UsedDatabase } from './team-database'
import { pinFounder } from './founder-pin'
import { teamVerification, type TeamVerification } from './team-verification'

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

  constructor(private readonly options: TeamServiceOptions) {
    this.spaces = new TeamSpaces(options)
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
    const me = await this.options.identity()
    // The founding change carries the founder's name; members' clients refuse one that is not
    // a valid person name, so it is checked before anything is written.
    if (!personNameSchema.safeParse(me.name).success)
      throw new BridgekeepError(
        'VALIDATION',
        "Your share identity's name cannot name a team founder (at most 60 printable characters).",
        'Set it first: bridgekeep share identity --name "<your name>"',
      )
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
        return this.spaces.pin(
          { id, name, founderKey: signingKey, head: { seq: 1, hash: founding.hash } },
          used,
          at,
        )
      },
    )
    this.audit('team.create', row, `Created team space ${name} (database role ${teamRoleName(id)})`)
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
        await store.requireSchema()
        const team = (await store.teams()).find((t) => t.name.toLowerCase() === name.toLowerCase())
        if (!team)
          throw new BridgekeepError(
            'NOT_FOUND',
            `No team named ${name} is visible to this login on ${store.where}.`,
            'Check the name with the team admin, and that the database administrator granted your login the team role.',
          )
        const founderKey = pinFounder(
          await store.changes(team.id),
          founderFingerprint,
          this.options.contacts(),
        )
        const verified = await verifyTeam(store, { teamId: team.id, founderKey })
        if (!verified.state.members.has(me.address.signingKey))
          throw new BridgekeepError(
            'FORBIDDEN',
            `This vault is not a member of team ${team.name} yet.`,
            `Ask a team admin to run: bridgekeep team invite ${me.address.address} --role member`,
          )
        await appendTeamAudit(store, team.id, actorOf(me), 'member.join', `${me.name} joined`, at)
        return this.spaces.pin(
          { id: team.id, name: team.name, founderKey, head: verified.state.head },
          used,
          at,
        )
      },
    )
    this.audit('team.join', row, `Joined team space ${row.name}`)
    return this.spaces.summary(row)
  }

  async invite(teamName: string | undefined, address: string, role: TeamRole, memberName?: string) {
    const parsed = parseAddress(address)
    const name = parseInput(
      personNameSchema,
      memberName ??
        this.options.contacts().find((c) => c.address === parsed.address)?.name ??
        `Member ${parsed.fingerprint.slice(0, 9)}`,
    )
    const row = this.spaces.find(teamName)
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
        requireAdmin(team, me, 'add members')
        if (team.state.members.has(parsed.signingKey))
          throw new BridgekeepError(
            'CONFLICT',
            `${team.state.members.get(parsed.signingKey)!.name} is already a member of ${row.name}.`,
          )
        const { signingKey, ageRecipient } = member
        const head = await appendChange(
          store,
          team,
          actorOf(me),
          'member.add',
          { signingKey, ageRecipient, name, role },
          { set: member },
        )
        await appendTeamAudit(
          store,
          row.team_id,
          actorOf(me),
          'member.add',
          `${name} added as ${role}`,
          this.now(),
        )
        await shareKeysWith(store, row, me, member)
        return head
      },
    )
    this.audit('team.invite', row, `Added ${name} (${parsed.fingerprint}) as ${role}`)
    return { team: row.name, name, role, fingerprint: parsed.fingerprint }
  }

  async remove(teamName: string | undefined, who: string) {
    const row = this.spaces.find(teamName)
    const me = await this.options.identity()
    let removed: TeamMember | undefined
    let keys: Awaited<ReturnType<typeof rekeyAll>> | undefined
    await this.withTeam(row, `Removed ${who} from team space ${row.name}`, async (store, team) => {
      requireAdmin(team, me, 'remove members')
      removed = findMember(team.state, who, row.name)
      requireAnotherAdmin(team.state, removed, row.name, 'removing')
      const head = await appendChange(
        store,
        team,
        actorOf(me),
        'member.remove',
        { signingKey: removed.signingKey },
        { remove: removed.signingKey },
      )
      await appendTeamAudit(
        store,
        row.team_id,
        actorOf(me),
        'member.remove',
        `${removed.name} removed`,
        this.now(),
      )
      // A full member read the keys: every connection gets a new one they do not have.
      if (removed.role !== 'use-only') keys = await this.rekey(store, row, me)
      return keys?.head ?? head
    })
    this.audit('team.remove', row, `Removed ${removed!.name} (was ${removed!.role})`)
    return { team: row.name, name: removed!.name, role: removed!.role, ...this.rotate(keys) }
  }

  /**
   * Gives a member another role, as a change signed by an admin. The role they already have is
   * said so and writes nothing; the last admin is never demoted.
   */
  async role(teamName: string | undefined, who: string, role: TeamRole) {
    const row = this.spaces.find(teamName)
    const me = await this.options.identity()
    let member: TeamMember | undefined
    let changed = false
    let keys: Awaited<ReturnType<typeof rekeyAll>> | undefined
    await this.withTeam(row, `Changed a role in team space ${row.name}`, async (store, team) => {
      requireAdmin(team, me, 'change roles')
      member = findMember(team.state, who, row.name)
      if (member.role === role) return undefined
      if (role !== 'admin') requireAnotherAdmin(team.state, member, row.name, 'demoting')
      const head = await appendChange(
        store,
        team,
        actorOf(me),
        'member.role',
        { signingKey: member.signingKey, role },
        { set: { ...member, role } },
      )
      await appendTeamAudit(
        store,
        row.team_id,
        actorOf(me),
        'member.role',
        `${member.name} is now ${role} (was ${member.role})`,
        this.now(),
      )
      changed = true
      // Made use-only: new keys they do not get. Raised from use-only: the current keys.
      if (role === 'use-only') keys = await this.rekey(store, row, me)
      else if (member.role === 'use-only') await shareKeysWith(store, row, me, { ...member, role })
      return keys?.head ?? head
    })
    if (changed)
      this.audit('team.role', row, `${member!.name} is now ${role} (was ${member!.role})`)
    return {
      team: row.name,
      name: member!.name,
      role,
      was: member!.role,
      changed,
      ...this.rotate(keys),
    }
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
    await this.withTeam(row, `Verified team space ${row.name}`, async (_store, team) => {
      result = teamVerification(row.name, team)
      return undefined
    })
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
    work: (
      store: TeamStore,
      team: VerifiedTeam,
    ) => Promise<{ seq: number; hash: string } | undefined>,
  ): Promise<void> {
    return withVerifiedTeam({ ...this.options, spaces: this.spaces }, row, detail, work)
  }

  private rekey(store: TeamStore, row: TeamSpaceRow, me: UnlockedIdentity) {
    return rekeyAll(store, row, me, this.now(), this.options.log)
  }

  /** What a full member leaving means for the team's connections: what to rotate. */
  private rotate(keys: Awaited<ReturnType<typeof rekeyAll>> | undefined) {
    return keys?.rotate.length ? { rotate: keys.rotate, notRekeyed: keys.failed } : {}
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
