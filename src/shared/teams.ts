import { z } from 'zod'

/**
 * Team spaces, as the renderer and main agree on them (the trust model: docs/teams.md). Nothing
 * here carries a private key or a secret: members are named by their public fingerprint, and the
 * founder by their public signing key.
 */

export const teamRoles = ['admin', 'member', 'use-only'] as const
export type TeamRole = (typeof teamRoles)[number]

const teamName = z
  .string()
  .trim()
  .min(1, 'Team name: required, e.g. "platform".')
  .max(100, 'Team name: at most 100 characters.')
const ref = (what: string, max = 200) =>
  z.string().trim().min(1, `${what}: required.`).max(max, `${what}: at most ${max} characters.`)

/** The team database: a PostgreSQL connection of this vault (slug or name), in an environment. */
const teamDatabase = {
  connection: ref('PostgreSQL connection'),
  environment: ref('Environment'),
}

export const createTeamSchema = z.object({ ...teamDatabase, name: teamName }).strict()
export type CreateTeamInput = z.infer<typeof createTeamSchema>

export const joinTeamSchema = z
  .object({
    ...teamDatabase,
    team: teamName,
    /** Compared with the founder aloud; optional when the founder is a verified contact. */
    founderFingerprint: z.string().trim().max(60).optional(),
  })
  .strict()
export type JoinTeamInput = z.infer<typeof joinTeamSchema>

export const teamRefSchema = z.object({ team: teamName }).strict()

/**
 * A member's PostgreSQL login, optional: given, the service grants (or revokes) the database role
 * of their team role itself when this vault's login may, and says the database's refusal if not.
 */
const dbLogin = z.string().trim().max(63, 'Database login: at most 63 bytes.').optional()

export const inviteMemberSchema = z
  .object({
    team: teamName,
    dbLogin,
    address: ref('Share address', 300),
    role: z.enum(teamRoles),
    /** The name the team sees; defaults to the contact's name, if the address is a contact. */
    name: z.string().trim().max(60).optional(),
  })
  .strict()
export type InviteMemberInput = z.infer<typeof inviteMemberSchema>

/** A member, named by fingerprint (or name, or share address: the service finds them). */
export const memberRefSchema = z.object({ team: teamName, member: ref('Member'), dbLogin }).strict()
export type MemberRefInput = z.infer<typeof memberRefSchema>

export const changeRoleSchema = memberRefSchema.extend({ role: z.enum(teamRoles) }).strict()
export type ChangeRoleInput = z.infer<typeof changeRoleSchema>

export const teamSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The PostgreSQL connection and environment the team database is reached through. */
  connection: z.string(),
  environment: z.string(),
  founderKey: z.string(),
  joinedAt: z.string(),
  /** The team's base database role; each team role has its own, granted to members' logins. */
  databaseRole: z.string(),
  /** The database role a member's login holds for each team role (`<base>_admin`, …). */
  databaseRoles: z.object({ admin: z.string(), member: z.string(), 'use-only': z.string() }),
})
export type TeamSummary = z.infer<typeof teamSummarySchema>

export const teamMemberSchema = z.object({
  name: z.string(),
  role: z.enum(teamRoles),
  fingerprint: z.string(),
  /** The change that gave the member this role. */
  sinceChange: z.number().int(),
  you: z.boolean(),
})
export type TeamMemberView = z.infer<typeof teamMemberSchema>

export const teamMembersSchema = z.object({
  team: z.string(),
  members: z.array(teamMemberSchema),
  /** Rows of the team database that were ignored or do not add up, each named. */
  warnings: z.array(z.string()),
})

/** What the member's database login needs after a membership change (team-login-grants.ts). */
export const loginGrantSchema = z.object({
  /** The exact statements, for the login given or a `<their login>` placeholder. */
  statements: z.array(z.string()),
  /** They were run (the login was given and the database accepted them). */
  applied: z.boolean(),
  /** The database's refusal, in its words: the database administrator runs them instead. */
  refused: z.string().optional(),
})
export type LoginGrantView = z.infer<typeof loginGrantSchema>

export const memberChangeSchema = z.object({
  team: z.string(),
  name: z.string(),
  role: z.enum(teamRoles),
  database: loginGrantSchema,
  /** After a full member left: connections to push again, their secrets rotated first. */
  rotate: z.array(z.string()).optional(),
  /** Of those, the ones this vault could not give new keys (push them again). */
  notRekeyed: z.array(z.string()).optional(),
})

export const invitedMemberSchema = memberChangeSchema.extend({
  fingerprint: z.string(),
  /** False when they already were a member with this role: nothing was written. */
  added: z.boolean(),
})

export const roleChangeSchema = memberChangeSchema.extend({
  was: z.enum(teamRoles),
  /** False when the member already had the role: nothing was written. */
  changed: z.boolean(),
})

export const teamVerificationSchema = z.object({
  team: z.string(),
  ok: z.boolean(),
  founder: z.string(),
  lastTrustedChange: z.number().int(),
  members: z.number().int(),
  admins: z.number().int(),
  auditEntries: z.number().int(),
  warnings: z.array(z.string()),
})
export type TeamVerificationView = z.infer<typeof teamVerificationSchema>

/**
 * A team connection whose secrets a full member who left could read (kept in the vault of the
 * admin who removed them until it is rotated: re-keying cannot make them forget what they read).
 */
const teamRotationSchema = z.object({
  connectionId: z.string(),
  name: z.string(),
  /** Who could read it, and when each left (removed, or made use-only). */
  readers: z.array(z.object({ name: z.string(), leftAt: z.string() })),
  since: z.string(),
  /** This vault's connection of the same name: rotated, then pushed again (null: none here). */
  local: z
    .object({ id: z.string(), slug: z.string(), provider: z.string(), authMode: z.string() })
    .nullable(),
})
export type TeamRotationView = z.infer<typeof teamRotationSchema>

export const teamRotationsSchema = z.object({
  team: z.string(),
  rotations: z.array(teamRotationSchema),
})

/** "I rotated it elsewhere": the team connection, by its id (or name). */
export const dismissRotationSchema = z
  .object({ team: teamName, connection: ref('Team connection') })
  .strict()

export const dismissedRotationSchema = z.object({ team: z.string(), name: z.string() })
