import { z } from 'zod'

/** Every action the audit trail records. Later features (sharing, runner, exec) append to it. */
export const auditActions = [
  'vault.create',
  'vault.unlock',
  'vault.lock',
  'vault.rewrap',
  'vault.reencrypt',
  'connection.create',
  'connection.update',
  'connection.rotate',
  'connection.reveal',
  'connection.copy',
  'connection.trash',
  'connection.restore',
  'connection.purge',
  'connection.import',
  // A secret reference read for a use (the field and where it points; never the value).
  'connection.reference-resolved',
  'authorization.change',
  'authorization.undo',
  'environment.create',
  'environment.rename',
  'environment.recolor',
  'environment.describe',
  'environment.reorder',
  'environment.protect',
  'environment.delete',
  'default.set',
  // CLI: a command run with a connection's credentials, and AWS credential_process.
  'exec',
  'credential-process',
  // CLI: credentials handed to git, docker or kubectl through their credential-helper protocols.
  'credential-helper',
  // A sign-in URL for the AWS console (never the URL itself).
  'aws-console',
  // A secret reference read through a Kubernetes connection (the reference; never the value).
  'reference.read',
  // An IAM Identity Center sign-in (start URL and region; never a token, code or client secret).
  'aws-sso.sign-in',
  // Signing out of it: the session ended and its token and role credentials forgotten.
  'aws-sso.sign-out',
  // The agent refused a caller that does not have its token (another user, most likely).
  'agent.refused',
  // Runner
  'runner.start',
  'runner.stop',
  'runner.crash',
  'runner.credentials',
  // Sharing
  'sharing.identity',
  'contact.add',
  'contact.update',
  'contact.verify',
  'contact.delete',
  'share.export',
  'share.import',
  'share.revoke',
  // Health: a verify through the runner, and a change of a connection's check schedule.
  'connection.verify',
  'connection.schedule',
  // Backups: one written (by hand or on schedule), and a vault restored from one.
  'backup.created',
  'backup.restored',
  // Team spaces: one created or joined, a member added, removed or given another role (roles,
  // never keys), and a use of the PostgreSQL connection a team lives in.
  'team.create',
  'team.join',
  'team.invite',
  'team.remove',
  'team.role',
  'team.connect',
  // A team runner's answer to a request (issued or refused), and credentials a member received
  // from one (the connection and environment, never the credentials).
  'team.answer',
  'team.credentials',
  // Team connections: one pushed (a new version), the cache synced, the matrix changed, a team
  // connection's secrets opened for a use (names and versions, never a value or key), and one
  // removed from the team.
  'team.push',
  'team.sync',
  'team.env',
  'team.use',
  'team.rm',
  // A team connection a member who left could read, marked rotated by hand ("I rotated it
  // elsewhere"): the connection and who could read it, never a secret.
  'team.rotated-elsewhere',
] as const
export type AuditAction = (typeof auditActions)[number]

/**
 * What each action is called on screen (the Audit timeline and its Action filter). The code stays
 * what is stored and exported; these names are for people reading the trail.
 */
export const auditActionLabels: Record<AuditAction, string> = {
  'vault.create': 'Vault created',
  'vault.unlock': 'Vault unlocked',
  'vault.lock': 'Vault locked',
  'vault.rewrap': 'Unlock method changed',
  'vault.reencrypt': 'Vault re-encrypted',
  'connection.create': 'Connection added',
  'connection.update': 'Connection edited',
  'connection.rotate': 'Secret rotated',
  'connection.reveal': 'Revealed a secret',
  'connection.copy': 'Copied a secret',
  'connection.reference-resolved': 'Resolved a secret reference',
  'connection.trash': 'Moved to trash',
  'connection.restore': 'Restored from trash',
  'connection.purge': 'Deleted for good',
  'connection.import': 'Connections imported',
  'authorization.change': 'Environment access changed',
  'authorization.undo': 'Environment access change undone',
  'environment.create': 'Environment added',
  'environment.rename': 'Environment renamed',
  'environment.recolor': 'Environment color changed',
  'environment.describe': 'Environment description changed',
  'environment.reorder': 'Environments reordered',
  'environment.protect': 'Environment protection changed',
  'environment.delete': 'Environment deleted',
  'default.set': 'Default connection set',
  exec: 'Ran a command',
  'credential-process': 'AWS credential_process',
  'credential-helper': 'Credential helper for a tool',
  'aws-console': 'AWS console sign-in',
  'reference.read': 'Read through Kubernetes for a reference',
  'aws-sso.sign-in': 'IAM Identity Center sign-in',
  'aws-sso.sign-out': 'IAM Identity Center sign-out',
  'agent.refused': 'Agent refused a caller',
  'runner.start': 'Runner started',
  'runner.stop': 'Runner stopped',
  'runner.crash': 'Runner crashed',
  'runner.credentials': 'Runner credentials issued',
  'sharing.identity': 'Sharing identity changed',
  'contact.add': 'Contact added',
  'contact.update': 'Contact edited',
  'contact.verify': 'Contact verified',
  'contact.delete': 'Contact deleted',
  'share.export': 'Shared connections',
  'share.import': 'Imported a share',
  'share.revoke': 'Share revoked',
  'connection.verify': 'Connection checked',
  'connection.schedule': 'Check schedule changed',
  'backup.created': 'Backup made',
  'backup.restored': 'Vault restored from a backup',
  'team.create': 'Team space created',
  'team.join': 'Joined a team space',
  'team.invite': 'Team member added',
  'team.remove': 'Team member removed',
  'team.role': 'Team member role changed',
  'team.connect': 'Team database used',
  'team.answer': 'Team runner answered',
  'team.credentials': 'Credentials from a team runner',
  'team.push': 'Team connection pushed',
  'team.sync': 'Team connections synced',
  'team.env': 'Team connection environments changed',
  'team.use': 'Team connection used',
  'team.rm': 'Team connection removed',
  'team.rotated-elsewhere': 'Team secret marked rotated elsewhere',
}

/** An entry's action in plain English; an action this version does not know shows as its code. */
export function auditActionLabel(action: string): string {
  return (auditActions as readonly string[]).includes(action)
    ? auditActionLabels[action as AuditAction]
    : action
}

export const auditTargetTypes = [
  'vault',
  'connection',
  'environment',
  'matrix',
  'runner',
  // An IAM Identity Center instance (named by its start URL)
  'aws-sso',
  // Sharing
  'contact',
  'share',
  // A team space (named by its name)
  'team',
] as const
export type AuditTargetType = (typeof auditTargetTypes)[number]

export const auditOutcomes = ['success', 'failure'] as const
export type AuditOutcome = (typeof auditOutcomes)[number]

/** One entry of the trail. Never carries a secret value: names, ids, counts and field keys only. */
export const auditEntrySchema = z.object({
  id: z.number().int(),
  time: z.string(),
  /** The OS user who acted, and the vault they acted in. */
  actorUser: z.string(),
  actorVault: z.string(),
  /** One of `auditActions` (a string, so entries written by a newer version still list). */
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  targetName: z.string().nullable(),
  environmentId: z.string().nullable(),
  environmentName: z.string().nullable(),
  outcome: z.enum(auditOutcomes),
  detail: z.string(),
  /** SHA-256 (hex) over the previous entry's hash and this entry's canonical content. */
  hash: z.string(),
})
export type AuditEntry = z.infer<typeof auditEntrySchema>

const isoTime = z.iso.datetime({
  offset: true,
  message: 'A date and time such as 2026-01-31T00:00:00Z.',
})

export const auditFilterSchema = z
  .object({
    /** Entries whose target is this connection. */
    connectionId: z.string().min(1).max(100).optional(),
    environmentId: z.string().min(1).max(100).optional(),
    actions: z.array(z.enum(auditActions)).max(auditActions.length).optional(),
    outcome: z.enum(auditOutcomes).optional(),
    /** Inclusive lower bound on the entry time. */
    from: isoTime.optional(),
    /** Exclusive upper bound on the entry time. */
    to: isoTime.optional(),
  })
  .strict()
export type AuditFilter = z.input<typeof auditFilterSchema>

export const AUDIT_PAGE_MAX = 1000

export const auditQuerySchema = z
  .object({
    filter: auditFilterSchema.default({}),
    /** Cursor: only entries with an id below this (the previous page's `nextCursor`). */
    before: z.number().int().positive().optional(),
    limit: z.number().int().min(1).max(AUDIT_PAGE_MAX).default(200),
  })
  .strict()
  .optional()
export type AuditQuery = z.input<typeof auditQuerySchema>

export const auditPageSchema = z.object({
  /** Newest first. */
  entries: z.array(auditEntrySchema),
  /** Pass as `before` for the next (older) page; null at the oldest entry. */
  nextCursor: z.number().int().nullable(),
  /** Entries matching the filter; only on the first page (no `before`). */
  total: z.number().int().optional(),
})
export type AuditPage = z.infer<typeof auditPageSchema>

export const auditExportFormats = ['jsonl', 'csv'] as const
export type AuditExportFormat = (typeof auditExportFormats)[number]

export const auditExportSchema = z
  .object({ format: z.enum(auditExportFormats), filter: auditFilterSchema.default({}) })
  .strict()

export const auditExportResultSchema = z.object({
  format: z.enum(auditExportFormats),
  /** A suggested file name, e.g. bridgekeep-audit-2026-01-31T120000Z.csv. */
  filename: z.string(),
  mediaType: z.string(),
  /** The file's content: JSON Lines or RFC 4180 CSV (CRLF), oldest entry first. */
  content: z.string(),
  count: z.number().int(),
})
export type AuditExport = z.infer<typeof auditExportResultSchema>

/**
 * What verification can find, each named:
 * - altered: an entry does not hash to its link in the chain (edited, or entries removed before it);
 * - truncated: entries are missing at the end (the sealed head vouches for more than remain);
 * - rewritten: entries link up by their plain hashes but do not carry the vault's MAC (the chain
 *   was rebuilt by someone without the vault key);
 * - head-missing / head-forged: the sealed head was removed, or does not verify (forged, or
 *   replaced with an older one).
 */
export const auditDamageKinds = [
  'altered',
  'truncated',
  'rewritten',
  'head-missing',
  'head-forged',
] as const
export type AuditDamageKind = (typeof auditDamageKinds)[number]

const brokenEntry = {
  id: z.number().int(),
  time: z.string(),
  action: z.string(),
}

export const auditVerificationSchema = z.object({
  ok: z.boolean(),
  /** Entries checked. */
  checked: z.number().int(),
  /** Entries whose link in the chain fails (an altered entry breaks exactly its own link). */
  brokenCount: z.number().int(),
  firstBroken: z
    .object({
      ...brokenEntry,
      /** altered: content or hash changed; gap: entries before it were removed. */
      reason: z.enum(['altered', 'gap']),
    })
    .nullable(),
  /** Every kind of damage found, in this order; empty when `ok`. */
  damage: z.array(z.enum(auditDamageKinds)),
  /** Entries cut off the end: the head vouches for `sealed`, the trail ends at `found`. */
  truncated: z
    .object({ sealed: z.number().int(), found: z.number().int(), missing: z.number().int() })
    .nullable(),
  /** The first entry that links up but whose MAC does not verify, and how many such entries. */
  rewritten: z.object({ ...brokenEntry, count: z.number().int() }).nullable(),
  /** The sealed head, and how the entries it vouches for came to be sealed. */
  seal: z.object({
    /**
     * valid; unsealed: never sealed yet (upgraded, not unlocked since); missing; forged: its MAC
     * fails; stale: it verifies but entries after it carry MACs (an older head put back).
     */
    status: z.enum(['valid', 'unsealed', 'missing', 'forged', 'stale']),
    /** Entries the head vouches for (0 unless valid). */
    entries: z.number().int(),
    /** Written before the trail was keyed (an earlier version), sealed at the first unlock after the upgrade. */
    beforeKeying: z.number().int(),
    /** When the head was first sealed (creation, or the first unlock after the upgrade). */
    keyedAt: z.string().nullable(),
    /** Recorded while the vault was locked, sealed at a later unlock. */
    whileLocked: z.number().int(),
    /** Recorded while the vault was locked and not sealed yet (the next unlock seals them). */
    pending: z.number().int(),
  }),
  /** Sentences for the UI: "All 1,234 entries verify." or naming each kind of damage found. */
  message: z.string(),
})
export type AuditVerification = z.infer<typeof auditVerificationSchema>
