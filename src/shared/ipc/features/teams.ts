import { z } from 'zod'
import {
  changeRoleSchema,
  createTeamSchema,
  dismissedRotationSchema,
  dismissRotationSchema,
  invitedMemberSchema,
  inviteMemberSchema,
  joinTeamSchema,
  memberChangeSchema,
  memberRefSchema,
  roleChangeSchema,
  teamMembersSchema,
  teamRefSchema,
  teamRotationsSchema,
  teamSummarySchema,
  teamVerificationSchema,
} from '../../teams'
import {
  pushedTeamConnectionSchema,
  pushTeamConnectionSchema,
  setTeamEnvironmentsSchema,
  teamConnectionListSchema,
  teamConnectionRefSchema,
  teamCredentialsRequestSchema,
  teamEnvironmentsChangeSchema,
  teamSessionSchema,
  teamSyncSchema,
} from '../../team-connections'
import { channel } from '../define'

/**
 * Team spaces on PostgreSQL. Every channel but `list` asks the team database (it can be slow),
 * through one of this vault's PostgreSQL connections, resolved and audited like any use.
 */
export const teamsChannels = {
  /** The team spaces this vault is in (from the vault alone). */
  list: channel(z.undefined(), z.array(teamSummarySchema)),
  /** Founds a team with this vault as its first admin (creating the schema if needed). */
  create: channel(createTeamSchema, teamSummarySchema),
  /** Joins a team this vault was invited to, pinning the founder by fingerprint. */
  join: channel(joinTeamSchema, teamSummarySchema),
  /** The members as the verified change log says, with every warning about ignored rows. */
  members: channel(teamRefSchema, teamMembersSchema),
  invite: channel(inviteMemberSchema, invitedMemberSchema),
  remove: channel(memberRefSchema, memberChangeSchema),
  changeRole: channel(changeRoleSchema, roleChangeSchema),
  /**
   * What full members who left could read and nobody rotated yet (from this vault alone: the
   * admin who removed them keeps the list).
   */
  rotations: channel(teamRefSchema, teamRotationsSchema),
  /** "I rotated it elsewhere": off the list, audited. */
  dismissRotation: channel(dismissRotationSchema, dismissedRotationSchema),
  /** Replays the change log and audit trail: what this vault trusts, and every warning. */
  verify: channel(teamRefSchema, teamVerificationSchema),
  /** The team's connections from this vault's copy (no database is asked: works offline). */
  connections: channel(teamConnectionRefSchema, teamConnectionListSchema),
  /** Pulls changes, sealed versions and this vault's wrapped keys into the copy. */
  sync: channel(teamConnectionRefSchema, teamSyncSchema),
  /** Admins: pushes one of this vault's connections (a new one, or a new version). */
  push: channel(pushTeamConnectionSchema, pushedTeamConnectionSchema),
  /** Admins: allows or denies environments for a team connection (the team's matrix). */
  setEnvironments: channel(setTeamEnvironmentsSchema, teamEnvironmentsChangeSchema),
  /**
   * Asks the team runner for 15-minute AWS credentials of a team connection in an environment
   * (how use-only members use one). Revealing on purpose: the answer holds the session's secret.
   */
  credentials: channel(teamCredentialsRequestSchema, teamSessionSchema),
}

export const teamsEvents = {
  /**
   * A joined team's change log moved (another member wrote, or this vault did): its copy is
   * refreshed already, and the team's pages read their members and connections again.
   */
  changed: z.object({ team: z.string() }).strict(),
  /** The teams this vault is in changed: one was created or joined (the team list is read again). */
  listChanged: z.object({}).strict(),
}
