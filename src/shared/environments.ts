import { z } from 'zod'
import { SLUG_PATTERN } from './connections'
import { safeText } from './text'

/** The environments a new vault starts with (production protected). */
export const DEFAULT_ENVIRONMENTS = [
  { name: 'development', color: '#2f9e44', protected: false },
  { name: 'staging', color: '#e67700', protected: false },
  { name: 'production', color: '#e03131', protected: true },
] as const

/** Colours offered for new environments, in order; any #rrggbb is accepted. */
export const ENVIRONMENT_COLORS = [
  '#2f9e44',
  '#e67700',
  '#e03131',
  '#1971c2',
  '#9c36b5',
  '#0c8599',
  '#c2255c',
  '#5c940d',
  '#495057',
] as const

export const COLOR_PATTERN = /^#[0-9a-f]{6}$/

/** Operation names recorded in usage: "exec", "verify", "issue-credentials"... */
export const OPERATION_PATTERN = /^[a-z][a-z0-9.-]{0,39}$/

const id = z.string().min(1).max(100)
/** An environment's name; shares carry these names as their scope. */
export const environmentNameSchema = safeText(
  z
    .string()
    .trim()
    .min(1, 'Name: required, e.g. "production".')
    .max(40, 'Name: at most 40 characters.'),
  'Name:',
)
const name = environmentNameSchema
const slug = z
  .string()
  .trim()
  .max(40, 'Slug: at most 40 characters.')
  .regex(SLUG_PATTERN, 'Slug: lowercase letters, digits and single hyphens only, e.g. "prod-eu".')
const color = z
  .string()
  .trim()
  .toLowerCase()
  .regex(COLOR_PATTERN, 'Colour: a hex colour such as #e03131.')
const description = safeText(
  z.string().trim().max(500, 'Description: at most 500 characters.'),
  'Description:',
)
/** Sent with a change that touches a protected environment, after the user confirmed it. */
const confirmProtected = z.boolean().optional()

export const environmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  color: z.string(),
  description: z.string(),
  protected: z.boolean(),
  /** Column order in the matrix, 0-based. */
  position: z.number().int(),
  /** Live (not trashed) connections authorized for it. */
  authorizedCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type Environment = z.infer<typeof environmentSchema>

export const environmentInputSchema = z
  .object({
    name,
    /** Derived from the name when left out. */
    slug: slug.optional(),
    color: color.optional(),
    description: description.default(''),
    protected: z.boolean().default(false),
  })
  .strict()
export type EnvironmentInput = z.input<typeof environmentInputSchema>

/** Rename, recolour, describe. The slug stays as it was unless given (scripts use it). */
export const environmentUpdateSchema = z
  .object({
    id,
    name: name.optional(),
    slug: slug.optional(),
    color: color.optional(),
    description: description.optional(),
  })
  .strict()
export type EnvironmentUpdate = z.input<typeof environmentUpdateSchema>

export const setProtectedSchema = z.object({ id, protected: z.boolean() }).strict()

export const reorderSchema = z.object({ ids: z.array(id).min(1).max(1000) }).strict()

/**
 * Deleting an environment that connections are authorized for is refused (CONFLICT) unless
 * `force`; a protected one also needs `confirmProtected` (CONFIRMATION_REQUIRED otherwise).
 */
export const deleteEnvironmentSchema = z
  .object({ id, force: z.boolean().optional(), confirmProtected })
  .strict()

export const deleteEnvironmentResultSchema = z.object({
  /** Authorizations removed with it (connections that were authorized for it). */
  removedAuthorizations: z.number().int(),
  removedDefaults: z.number().int(),
})
export type DeleteEnvironmentResult = z.infer<typeof deleteEnvironmentResultSchema>

export const pairSchema = z.object({ connectionId: id, environmentId: id }).strict()
export type AuthorizationPair = z.infer<typeof pairSchema>

const MAX_PAIRS = 200_000

export const applyChangesSchema = z
  .object({
    grants: z.array(pairSchema).max(MAX_PAIRS).default([]),
    revokes: z.array(pairSchema).max(MAX_PAIRS).default([]),
    confirmProtected,
  })
  .strict()
export type ApplyChangesInput = z.input<typeof applyChangesSchema>

export const changeResultSchema = z.object({
  /** The applied change set (what undo reverses); null when nothing actually changed. */
  changeId: z.string().nullable(),
  /** Pairs that were not authorized before and are now (no-op grants are not counted). */
  granted: z.number().int(),
  revoked: z.number().int(),
  /** Defaults (per environment and provider) that pointed at a revoked pair and were cleared. */
  defaultsCleared: z.number().int(),
})
export type ChangeResult = z.infer<typeof changeResultSchema>

export const undoSchema = z.object({ confirmProtected }).strict().optional()

export const undoResultSchema = z.object({
  /** The change set that was reversed. */
  changeId: z.string(),
  granted: z.number().int(),
  revoked: z.number().int(),
})
export type UndoResult = z.infer<typeof undoResultSchema>

export const lastChangeSchema = z.object({
  changeId: z.string(),
  at: z.string(),
  granted: z.number().int(),
  revoked: z.number().int(),
})

export const environmentDefaultSchema = z.object({
  environmentId: z.string(),
  provider: z.string(),
  connectionId: z.string(),
})
export type EnvironmentDefault = z.infer<typeof environmentDefaultSchema>

export const matrixConnectionSchema = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  provider: z.string(),
  labels: z.array(z.string()),
})
export type MatrixConnection = z.infer<typeof matrixConnectionSchema>

/**
 * Rows (live connections, by name) x columns (environments, by position). `authorized[i]` lists,
 * ascending, the indexes into `environments` that `connections[i]` is authorized for: compact at
 * 2,000 x 50 and cheap to turn into a Set per row.
 */
export const matrixSchema = z.object({
  environments: z.array(environmentSchema),
  connections: z.array(matrixConnectionSchema),
  authorized: z.array(z.array(z.number().int())),
  defaults: z.array(environmentDefaultSchema),
  /** What `undoLastChange` would reverse, or null. */
  lastChange: lastChangeSchema.nullable(),
})
export type Matrix = z.infer<typeof matrixSchema>

export const authorizationsForSchema = z.object({ connectionId: id }).strict()

export const connectionAuthorizationsSchema = z.object({
  connectionId: z.string(),
  environmentIds: z.array(z.string()),
})

export const setAuthorizationsSchema = z
  .object({ connectionId: id, environmentIds: z.array(id).max(1000), confirmProtected })
  .strict()

/** `connectionId: null` clears the default for that provider in that environment. */
export const setDefaultSchema = z
  .object({ environmentId: id, provider: z.string().min(1).max(40), connectionId: id.nullable() })
  .strict()

export const setDefaultResultSchema = z.object({
  environmentId: z.string(),
  provider: z.string(),
  connectionId: z.string().nullable(),
})

export const resolveSchema = z
  .object({
    provider: z.string().min(1).max(40),
    /** Environment name (any case) or slug. */
    environment: z.string().min(1).max(100),
    /** Connection name (any case) or slug; left out, the one authorized connection or the default. */
    name: z.string().min(1).max(100).optional(),
  })
  .strict()

export const resolvedSchema = z.object({
  connection: z.object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    provider: z.string(),
  }),
  environment: z.object({ id: z.string(), name: z.string(), slug: z.string() }),
  /** How it was chosen: named explicitly, the only one authorized, or the default. */
  via: z.enum(['name', 'only', 'default']),
})
export type Resolved = z.infer<typeof resolvedSchema>

export const usageForSchema = z.object({ connectionId: id }).strict()

const usageCount = z.object({ count: z.number().int(), lastUsedAt: z.string() })

export const connectionUsageSchema = z.object({
  connectionId: z.string(),
  lastUsedAt: z.string().nullable(),
  total: z.number().int(),
  /** environmentName is null when the environment has since been deleted. */
  byEnvironment: z.array(
    usageCount.extend({ environmentId: z.string(), environmentName: z.string().nullable() }),
  ),
  byOperation: z.array(usageCount.extend({ operation: z.string() })),
  /** Each (environment, operation) pair, most recent first. */
  entries: z.array(
    usageCount.extend({
      environmentId: z.string(),
      environmentName: z.string().nullable(),
      operation: z.string(),
      firstUsedAt: z.string(),
    }),
  ),
})
export type ConnectionUsage = z.infer<typeof connectionUsageSchema>

export const environmentsChangedSchema = z.object({
  /** What changed: the environments themselves, authorizations (the matrix), or defaults. */
  reason: z.enum(['environments', 'authorizations', 'defaults']),
  changeId: z.string().optional(),
})
