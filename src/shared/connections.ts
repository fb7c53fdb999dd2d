import { z } from 'zod'
import { secretReferenceSchema } from './secret-reference'
import { receivedShareSchema } from './sharing'
import { safeText } from './text'

/** Limits users meet in the forms; main enforces the same ones. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
export const TRASH_RETENTION_DAYS = 30

/** When main purges a trashed connection: the retention period after it was trashed. */
export function purgeDate(deletedAt: string): Date {
  return new Date(new Date(deletedAt).getTime() + TRASH_RETENTION_DAYS * 86_400_000)
}

/** A connection's name, as the forms, the CLI and shares (src/main/services/sharing) take it. */
export const connectionNameSchema = safeText(
  z
    .string()
    .trim()
    .min(1, 'Name: required. Give the connection a name you will recognise, e.g. "prod-aws".')
    .max(100, 'Name: at most 100 characters.'),
  'Name:',
)
const name = connectionNameSchema
const slug = z
  .string()
  .trim()
  .max(64, 'Slug: at most 64 characters.')
  .regex(SLUG_PATTERN, 'Slug: lowercase letters, digits and single hyphens only, e.g. "prod-aws".')
const label = safeText(
  z
    .string()
    .trim()
    .min(1, 'Labels: a label cannot be empty.')
    .max(40, 'Labels: each label has at most 40 characters.')
    .regex(/^[^,\s][^,]*$/, 'Labels: a label cannot contain commas.'),
  'Labels: a label',
)
export const connectionLabelsSchema = z.array(label).max(20, 'Labels: at most 20 labels.')
const labels = connectionLabelsSchema
/**
 * Notes are free text over several lines, so line breaks and tabs stay (a pasted CRLF becomes a
 * line break); every other control character is refused like in names. Where a terminal shows
 * notes, the CLI still escapes what older vaults may hold.
 */
export const connectionNotesSchema = safeText(
  z
    .string()
    .overwrite((text) => text.replace(/\r\n/g, '\n'))
    .max(4000, 'Notes: at most 4,000 characters.'),
  'Notes:',
  '\n\t',
)
const notes = connectionNotesSchema
/** Form values by field key; strings only (checkboxes are 'true'/'false'). */
const values = z.record(z.string(), z.string().max(65_536, 'A field value is longer than 64 KiB.'))
/**
 * Secret fields that hold a reference instead of a value (src/shared/secret-reference.ts): read
 * at each use, never stored. A field is given a value or a reference, not both.
 */
const references = z.record(z.string().max(100), secretReferenceSchema)

export const connectionInputSchema = z
  .object({
    name,
    slug: slug.optional(),
    provider: z.string().min(1),
    authMode: z.string().min(1),
    values,
    references: references.optional(),
    labels: labels.default([]),
    notes: notes.default(''),
    /** Tools get short-lived credentials only (a session or token issued from the secret). */
    shortLivedOnly: z.boolean().optional(),
  })
  .strict()

/**
 * A new connection from the app's form (or `bridgekeep add --env`): the connection and the
 * environments to authorize it for, created together or not at all. A protected environment
 * needs `confirmProtected`, as in the matrix.
 */
export const connectionCreateSchema = connectionInputSchema
  .extend({
    environmentIds: z.array(z.string().min(1).max(100)).max(1000).default([]),
    confirmProtected: z.boolean().optional(),
  })
  .strict()
export type ConnectionCreate = z.input<typeof connectionCreateSchema>

/** An edit: secret fields left empty keep their stored values; any new secret writes a version. */
export const connectionUpdateSchema = z
  .object({
    id: z.string().min(1),
    name: name.optional(),
    slug: slug.optional(),
    authMode: z.string().min(1).optional(),
    values: values.optional(),
    /** Sets these secret fields to references; a field given a value instead stops being one. */
    references: references.optional(),
    labels: labels.optional(),
    notes: notes.optional(),
    /** Tools get short-lived credentials only (a session or token issued from the secret). */
    shortLivedOnly: z.boolean().optional(),
  })
  .strict()
export type ConnectionUpdate = z.input<typeof connectionUpdateSchema>

export const rotateInputSchema = z
  .object({
    id: z.string().min(1),
    secrets: values,
    /** Secret fields that become references in the new version. */
    references: references.optional(),
  })
  .strict()

export const connectionSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  provider: z.string(),
  authMode: z.string(),
  labels: z.array(z.string()),
  secretVersion: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Set when the connection is in the trash. */
  deletedAt: z.string().nullable(),
  /** When it was last used (resolved for an operation); in the list only, null if never. */
  lastUsedAt: z.string().nullable().optional(),
  /** Imported from a share as use-only: never revealed, copied or shared again (sharing). */
  useOnly: z.boolean().optional(),
})
export type ConnectionSummary = z.infer<typeof connectionSummarySchema>

export const maskedSecretSchema = z.object({
  field: z.string(),
  /** '••••••••' or '••••••••WXYZ'; absent when the stored value failed its integrity check. */
  masked: z.string().optional(),
  /**
   * The value itself, for an identifier field (an access key ID: it names the key, it unlocks
   * nothing), and only for the app's details page, which shows it in clear.
   */
  clear: z.string().optional(),
  damaged: z.boolean(),
  /** The field holds a reference, in its text form (`env:DB_PASSWORD`); there is no value. */
  reference: z.string().optional(),
})

export const connectionDetailSchema = connectionSummarySchema.extend({
  config: z.record(z.string(), z.string()),
  notes: z.string(),
  secrets: z.array(maskedSecretSchema),
  versions: z.array(z.object({ version: z.number().int(), createdAt: z.string() })),
  /** A message naming what is damaged, when a stored secret failed its integrity check. */
  integrityError: z.string().optional(),
  /**
   * The owner asked that tools get short-lived credentials only (use-only connections always do):
   * an STS session or an access token where the provider has an exchange.
   */
  shortLivedOnly: z.boolean().optional(),
  /** Set when the connection was imported from a share: who sent it, its scope and expiry. */
  share: receivedShareSchema.optional(),
  /**
   * Non-secret values the connection uses without storing them, by field: GCP's project read
   * from the key when Project ID is empty. Shown "(from the key)".
   */
  derived: z.record(z.string(), z.string()).optional(),
})
export type ConnectionDetail = z.infer<typeof connectionDetailSchema>

/** "Prod AWS (eu)" -> "prod-aws-eu": the suggested slug for a name. */
export function slugify(text: string): string {
  const slugged = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/g, '')
  return slugged || 'connection'
}
