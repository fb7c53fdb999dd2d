import { randomUUID } from 'node:crypto'
import type { z } from 'zod'
import { slugify } from '../../../shared/connections'
import {
  type deleteEnvironmentSchema,
  ENVIRONMENT_COLORS,
  type environmentsChangedSchema,
  environmentInputSchema,
  type environmentUpdateSchema,
  type reorderSchema,
  type setDefaultSchema,
  type DeleteEnvironmentResult,
  type Environment,
  type EnvironmentDefault,
} from '../../../shared/environments'
import { BridgekeepError } from '../../../shared/errors'
import { getProvider } from '../../../shared/providers'
import { invalid, parseInput } from '../../../shared/validation'
import { listNames, plural } from '../../../shared/wording'
import { writeTransaction } from '../../db/database'
import { requireEnvironment } from '../find-by-ref'
import type { EnvironmentRow } from './environments-repository'
import {
  announceChange,
  envRef,
  repositoryOf,
  requireConnectionRow,
  toEnvironment,
  type EnvironmentsOptions,
} from './environment-records'

/** Names listed in a message before "and N more". */
const NAMES_IN_MESSAGE = 10

/**
 * Environments (the matrix's columns) and the default connection per provider per environment.
 * Every change is one transaction with its audit entry, then pushed to the windows
 * (`environments:changed`); deleting a protected environment needs confirming. Which connection
 * is authorized where is AuthorizationsService's.
 */
export class EnvironmentsService {
  private readonly now: () => Date
  private readonly repo

  constructor(private readonly options: EnvironmentsOptions) {
    this.now = options.now ?? (() => new Date())
    this.repo = repositoryOf(options.vault)
  }

  list(): Environment[] {
    this.options.vault.requireKey()
    const counts = this.repo().liveCounts()
    return this.repo()
      .list()
      .map((row) => toEnvironment(row, counts.get(row.id) ?? 0))
  }

  /** The environment a reference names: its slug, or its name (any case). */
  findByRef(ref: string): Environment {
    return requireEnvironment(this.list(), ref)
  }

  create(raw: unknown): Environment {
    this.options.vault.requireKey()
    const input = parseInput(environmentInputSchema, raw)
    const repo = this.repo()
    const at = this.now().toISOString()
    const row = writeTransaction(repo.db, (): EnvironmentRow => {
      this.requireFreeName(input.name)
      const position = repo.nextPosition()
      const created: EnvironmentRow = {
        id: randomUUID(),
        name: input.name,
        slug: input.slug
          ? this.requireFreeSlug(input.slug)
          : this.freeSlug(environmentSlug(input.name)),
        color: input.color ?? ENVIRONMENT_COLORS[position % ENVIRONMENT_COLORS.length]!,
        description: input.description,
        protected: input.protected ? 1 : 0,
        position,
        created_at: at,
        updated_at: at,
      }
      repo.insert(created)
      this.options.audit.record({
        action: 'environment.create',
        target: envTarget(created),
        environment: envRef(created),
        detail: `Created (${created.slug}, ${created.color}${created.protected ? ', protected' : ''})`,
      })
      return created
    })
    this.options.log.info('environment.created', { protected: row.protected === 1 })
    return this.changed({ reason: 'environments' }, toEnvironment(row, 0))
  }

  /** Rename, recolour, describe: one audit entry per aspect that changed. */
  update(patch: z.output<typeof environmentUpdateSchema>): Environment {
    this.options.vault.requireKey()
    const repo = this.repo()
    const at = this.now().toISOString()
    const row = writeTransaction(repo.db, (): EnvironmentRow => {
      const before = this.requireEnvironment(patch.id)
      const after: EnvironmentRow = { ...before, updated_at: at }
      if (patch.name !== undefined && patch.name !== before.name) {
        if (patch.name.toLowerCase() !== before.name.toLowerCase()) this.requireFreeName(patch.name)
        after.name = patch.name
      }
      if (patch.slug !== undefined && patch.slug !== before.slug)
        after.slug = this.requireFreeSlug(patch.slug)
      if (patch.color !== undefined) after.color = patch.color
      if (patch.description !== undefined) after.description = patch.description
      const audit = (action: 'rename' | 'recolor' | 'describe', detail: string) =>
        this.options.audit.record({
          action: `environment.${action}`,
          target: envTarget(after),
          environment: envRef(after),
          detail,
        })
      const renamed = after.name !== before.name
      const reslugged = after.slug !== before.slug
      const changed =
        renamed ||
        reslugged ||
        after.color !== before.color ||
        after.description !== before.description
      if (!changed) return before
      repo.update(after)
      if (renamed || reslugged) {
        const parts = [
          ...(renamed ? [`Renamed "${before.name}" to "${after.name}"`] : []),
          ...(reslugged ? [`slug ${before.slug} -> ${after.slug}`] : []),
        ]
        audit('rename', parts.join('; '))
      }
      if (after.color !== before.color) audit('recolor', `${before.color} -> ${after.color}`)
      if (after.description !== before.description) audit('describe', 'Description changed')
      return after
    })
    return this.changed({ reason: 'environments' }, this.withCount(row))
  }

  setProtected(id: string, isProtected: boolean): Environment {
    this.options.vault.requireKey()
    const repo = this.repo()
    const row = writeTransaction(repo.db, (): EnvironmentRow => {
      const before = this.requireEnvironment(id)
      if ((before.protected === 1) === isProtected) return before
      const after = {
        ...before,
        protected: isProtected ? 1 : 0,
        updated_at: this.now().toISOString(),
      }
      repo.update(after)
      this.options.audit.record({
        action: 'environment.protect',
        target: envTarget(after),
        environment: envRef(after),
        detail: isProtected ? 'Protection turned on' : 'Protection turned off',
      })
      return after
    })
    return this.changed({ reason: 'environments' }, this.withCount(row))
  }

  /** Sets the column order: `ids` must name every environment exactly once. */
  reorder({ ids }: z.output<typeof reorderSchema>): Environment[] {
    this.options.vault.requireKey()
    const repo = this.repo()
    writeTransaction(repo.db, () => {
      const rows = repo.list()
      const known = new Set(rows.map((row) => row.id))
      if (
        ids.length !== known.size ||
        new Set(ids).size !== ids.length ||
        !ids.every((id) => known.has(id))
      ) {
        throw new BridgekeepError(
          'CONFLICT',
          'The environments changed meanwhile; the new order does not name each of them once.',
          'Reload and try again.',
        )
      }
      const byId = new Map(rows.map((row) => [row.id, row]))
      const at = this.now().toISOString()
      ids.forEach((id, position) => {
        const row = byId.get(id)!
        if (row.position !== position) repo.update({ ...row, position, updated_at: at })
      })
      this.options.audit.record({
        action: 'environment.reorder',
        target: { type: 'matrix' },
        detail: `New order: ${ids.map((id) => byId.get(id)!.name).join(', ')}`,
      })
    })
    return this.changed({ reason: 'environments' }, this.list())
  }

  /**
   * What deleting an environment would take with it, changing nothing: the names of the
   * connections authorized there (trashed ones too) and how many defaults it has. The CLI names
   * them before asking for --yes, as the app's dialog does.
   */
  deletionImpact(id: string): { authorizations: string[]; defaults: number } {
    this.options.vault.requireKey()
    const env = this.requireEnvironment(id)
    return {
      authorizations: this.repo().authorizedNames(env.id),
      defaults: this.repo().countDefaults(env.id),
    }
  }

  /**
   * Deletes an environment. Refused (CONFLICT) while connections are authorized for it unless
   * `force`; a protected one also needs `confirmProtected`. The result says what went with it.
   */
  delete(input: z.output<typeof deleteEnvironmentSchema>): DeleteEnvironmentResult {
    this.options.vault.requireKey()
    const repo = this.repo()
    const result = writeTransaction(repo.db, (): DeleteEnvironmentResult => {
      const env = this.requireEnvironment(input.id)
      const { authorizations: names, defaults } = this.deletionImpact(env.id)
      const losing =
        names.length === 0
          ? ''
          : ` Deleting it removes ${plural(names.length, 'authorization')} (${listNames(names, NAMES_IN_MESSAGE)}).`
      if (env.protected === 1 && !input.confirmProtected) {
        throw new BridgekeepError(
          'CONFIRMATION_REQUIRED',
          `Environment "${env.name}" is protected.${losing}`,
          'Confirm to delete it.',
        )
      }
      if (names.length > 0 && !input.force) {
        throw new BridgekeepError(
          'CONFLICT',
          `Environment "${env.name}" has ${plural(names.length, 'authorized connection')} (${listNames(names, NAMES_IN_MESSAGE)}).${losing}`,
          'Revoke them in the matrix first, or confirm deleting the environment with its authorizations.',
        )
      }
      repo.remove(env.id)
      this.options.audit.record({
        action: 'environment.delete',
        target: envTarget(env),
        environment: envRef(env),
        detail:
          names.length === 0 && defaults === 0
            ? 'Deleted'
            : `Deleted with ${plural(names.length, 'authorization')}${names.length ? ` (${listNames(names, NAMES_IN_MESSAGE)})` : ''} and ${plural(defaults, 'default')}`,
      })
      this.options.log.info('environment.deleted', { authorizations: names.length })
      return { removedAuthorizations: names.length, removedDefaults: defaults }
    })
    return this.changed({ reason: 'environments' }, result)
  }

  defaults(): EnvironmentDefault[] {
    this.options.vault.requireKey()
    return this.repo().defaults()
  }

  /**
   * Sets (or, with null, clears) the connection resolution uses for a provider in an
   * environment when several are authorized. It must be of that provider and authorized there.
   */
  setDefault(input: z.output<typeof setDefaultSchema>): {
    environmentId: string
    provider: string
    connectionId: string | null
  } {
    this.options.vault.requireKey()
    const provider = getProvider(input.provider)
    if (!provider) {
      throw new BridgekeepError(
        'VALIDATION',
        `"${input.provider}" is not a provider Bridgekeep knows.`,
      )
    }
    const repo = this.repo()
    const result = writeTransaction(repo.db, () => {
      const env = this.requireEnvironment(input.environmentId)
      const previous = repo.defaultFor(env.id, provider.id)
      const previousName = previous ? repo.connection(previous)?.name : undefined
      if (input.connectionId === null) {
        if (repo.clearDefault(env.id, provider.id)) {
          this.options.audit.record({
            action: 'default.set',
            target: previous
              ? { type: 'connection', id: previous }
              : { type: 'environment', id: env.id, name: env.name },
            environment: envRef(env),
            detail: `Default ${provider.id} connection cleared${previousName ? ` (was ${previousName})` : ''}`,
          })
        }
        return { environmentId: env.id, provider: provider.id, connectionId: null }
      }
      const connection = requireConnectionRow(repo, input.connectionId)
      if (connection.deleted_at !== null) {
        throw new BridgekeepError(
          'CONFLICT',
          `Connection "${connection.name}" is in the trash.`,
          'Restore it first.',
        )
      }
      if (connection.provider !== provider.id) {
        throw new BridgekeepError(
          'VALIDATION',
          `Connection "${connection.name}" is a ${getProvider(connection.provider)?.label ?? connection.provider} connection, not ${provider.label}.`,
        )
      }
      if (!repo.isAuthorized(connection.id, env.id)) {
        throw new BridgekeepError(
          'NOT_AUTHORIZED',
          `Connection ${connection.name} is not authorized for environment ${env.name}`,
          `Authorize it for ${env.name} first.`,
        )
      }
      if (previous !== connection.id) {
        repo.setDefault(env.id, provider.id, connection.id)
        this.options.audit.record({
          action: 'default.set',
          target: { type: 'connection', id: connection.id, name: connection.name },
          environment: envRef(env),
          detail: `Default ${provider.id} connection${previousName ? ` (was ${previousName})` : ''}`,
        })
      }
      return { environmentId: env.id, provider: provider.id, connectionId: connection.id }
    })
    return this.changed({ reason: 'defaults' }, result)
  }

  /** Pushes `environments:changed` once a change is made; returns `value`. */
  private changed<T>(payload: z.input<typeof environmentsChangedSchema>, value: T): T {
    return announceChange(this.options, payload, value)
  }

  private withCount(row: EnvironmentRow): Environment {
    return toEnvironment(row, this.repo().liveCounts().get(row.id) ?? 0)
  }

  private requireEnvironment(id: string): EnvironmentRow {
    const env = this.repo().get(id)
    if (!env) {
      throw new BridgekeepError(
        'NOT_FOUND',
        'That environment does not exist (it may have been deleted).',
      )
    }
    return env
  }

  private requireFreeName(name: string): void {
    const holder = this.repo().byName(name)
    if (holder) {
      throw invalid([
        { field: 'name', message: `Name: an environment named "${holder.name}" already exists.` },
      ])
    }
  }

  private requireFreeSlug(slug: string): string {
    const holder = this.repo().bySlug(slug)
    if (holder) {
      throw invalid([
        {
          field: 'slug',
          message: `Slug: "${slug}" is already used by "${holder.name}". Choose another.`,
        },
      ])
    }
    return slug
  }

  private freeSlug(base: string): string {
    const taken = new Set(this.repo().slugsStartingWith(base))
    if (!taken.has(base)) return base
    for (let n = 2; ; n++) {
      const candidate = `${base.slice(0, 36)}-${n}`
      if (!taken.has(candidate)) return candidate
    }
  }
}

function envTarget(row: EnvironmentRow) {
  return { type: 'environment' as const, id: row.id, name: row.name }
}

/** "Pre-prod (EU)" -> "pre-prod-eu"; a name with no letters or digits gets "environment". */
function environmentSlug(name: string): string {
  const slug = slugify(name).slice(0, 40).replace(/-+$/g, '')
  return slug === 'connection' && !/connection/i.test(name) ? 'environment' : slug
}
