import { randomUUID } from 'node:crypto'
import type { z } from 'zod'
import { slugify } from '../../../shared/connections'
import {
  applyChangesSchema,
  deleteEnvironmentSchema,
  ENVIRONMENT_COLORS,
  type environmentsChangedSchema,
  environmentInputSchema,
  environmentUpdateSchema,
  reorderSchema,
  setAuthorizationsSchema,
  setDefaultSchema,
  type ApplyChangesInput,
  type AuthorizationPair,
  type ChangeResult,
  type DeleteEnvironmentResult,
  type Environment,
  type EnvironmentDefault,
  type Matrix,
  type MatrixConnection,
  type UndoResult,
} from '../../../shared/environments'
import { BridgekeepError } from '../../../shared/errors'
import { getProvider } from '../../../shared/providers'
import { invalid, parseInput } from '../../../shared/validation'
import { listNames, plural } from '../../../shared/wording'
import type { Logger } from '../../log'
import { requireEnvironment } from '../find-by-ref'
import type { AuditRecorder } from '../audit/audit-service'
import type { EventBus } from '../events/event-bus'
import type { Vault } from '../vault/vault'
import {
  EnvironmentsRepository,
  type ConnectionRef,
  type EnvironmentRow,
  type StoredPair,
} from './environments-repository'
import { writeTransaction } from '../../db/database'
import { requireProtectedConfirmation, type ProtectedChange } from './protected-confirmation'

/** Change sets kept for undo. */
export const KEEP_CHANGE_SETS = 100
/** Names listed in a message before "and N more". */
const NAMES_IN_MESSAGE = 10

export interface EnvironmentsOptions {
  vault: Vault
  audit: AuditRecorder
  /** Tells every window to refetch what it shows of environments and the matrix. */
  events?: Pick<EventBus, 'emit'>
  log: Logger
  now?: () => Date
}

/**
 * Environments, the authorization matrix (which connection may be used where), undo of matrix
 * changes, and the default connection per provider per environment. Every change is one
 * transaction with its audit entry, then pushed to the windows (`environments:changed`); changes
 * touching a protected environment need confirming.
 */
export class EnvironmentsService {
  private readonly now: () => Date
  private repository: EnvironmentsRepository | undefined

  constructor(private readonly options: EnvironmentsOptions) {
    this.now = options.now ?? (() => new Date())
  }

  private repo(): EnvironmentsRepository {
    const db = this.options.vault.database()
    if (this.repository?.db !== db) this.repository = new EnvironmentsRepository(db)
    return this.repository
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
  update(raw: unknown): Environment {
    this.options.vault.requireKey()
    const patch = parseInput(environmentUpdateSchema, raw)
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
  reorder(raw: unknown): Environment[] {
    this.options.vault.requireKey()
    const { ids } = parseInput(reorderSchema, raw)
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
   * Deletes an environment. Refused (CONFLICT) while connections are authorized for it unless
   * `force`; a protected one also needs `confirmProtected`. The result says what went with it.
   */
  delete(raw: unknown): DeleteEnvironmentResult {
    this.options.vault.requireKey()
    const input = parseInput(deleteEnvironmentSchema, raw)
    const repo = this.repo()
    const result = writeTransaction(repo.db, (): DeleteEnvironmentResult => {
      const env = this.requireEnvironment(input.id)
      const names = repo.authorizedNames(env.id)
      const defaults = repo.countDefaults(env.id)
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

  /** Live connections x environments, with authorized pairs as per-row column indexes. */
  getMatrix(): Matrix {
    this.options.vault.requireKey()
    const repo = this.repo()
    // Deferred: a consistent snapshot to read, taking no write lock.
    return repo.db.transaction((): Matrix => {
      const envRows = repo.list()
      const column = new Map(envRows.map((row, index) => [row.id, index]))
      const rowOf = new Map<string, number>()
      const connections: MatrixConnection[] = repo
        .liveConnections()
        .map(([id, name, slug, provider, labels], index) => {
          rowOf.set(id, index)
          return { id, name, slug, provider, labels: JSON.parse(labels) as string[] }
        })
      const authorized: number[][] = connections.map(() => [])
      const counts = new Array<number>(envRows.length).fill(0)
      for (const [connectionId, environmentIds] of repo.authorizationsByConnection()) {
        const row = rowOf.get(connectionId)
        if (row === undefined) continue // trashed: kept, but not in the matrix
        const cells = authorized[row]!
        for (const environmentId of environmentIds.split(' ')) {
          const index = column.get(environmentId)
          if (index === undefined) continue
          cells.push(index)
          counts[index]!++
        }
        cells.sort((a, b) => a - b)
      }
      const last = repo.lastChangeSummary()
      return {
        environments: envRows.map((row, index) => toEnvironment(row, counts[index]!)),
        connections,
        authorized,
        defaults: repo.defaults(),
        lastChange: last
          ? { changeId: last.id, at: last.created_at, granted: last.granted, revoked: last.revoked }
          : null,
      }
    })()
  }

  /**
   * Applies grants and revokes in one transaction, recorded as one change set (undoable) and one
   * audit entry. Pairs that are already so are no-ops. Touching a protected environment without
   * `confirmProtected` changes nothing and throws CONFIRMATION_REQUIRED naming every change there.
   */
  applyChanges(raw: ApplyChangesInput): ChangeResult {
    return this.announced(this.apply(raw))
  }

  private apply(raw: ApplyChangesInput): ChangeResult {
    this.options.vault.requireKey()
    const input = parseInput(applyChangesSchema, raw)
    const repo = this.repo()
    const result = writeTransaction(repo.db, (): ChangeResult => {
      const lookup = this.lookup(input.grants, input.revokes)
      const granted: StoredPair[] = []
      const revoked: StoredPair[] = []
      let defaultsCleared = 0
      const at = this.now().toISOString()
      const grantKeys = new Set<string>()
      for (const { connectionId, environmentId } of input.grants) {
        grantKeys.add(`${connectionId} ${environmentId}`)
        const connection = lookup.connections.get(connectionId)!
        if (connection.deleted_at !== null) {
          throw new BridgekeepError(
            'CONFLICT',
            `Connection "${connection.name}" is in the trash; restore it before authorizing it.`,
            'Nothing was changed.',
          )
        }
        if (repo.grant(connectionId, environmentId, at)) granted.push([connectionId, environmentId])
      }
      for (const { connectionId, environmentId } of input.revokes) {
        if (grantKeys.has(`${connectionId} ${environmentId}`)) {
          throw new BridgekeepError(
            'VALIDATION',
            'The same cell is both granted and revoked in one change.',
            'Nothing was changed.',
          )
        }
        if (repo.revoke(connectionId, environmentId)) {
          revoked.push([connectionId, environmentId])
          defaultsCleared += repo.clearDefaultForPair(environmentId, connectionId)
        }
      }
      this.requireConfirmation(granted, revoked, lookup, input.confirmProtected)
      if (granted.length === 0 && revoked.length === 0)
        return { changeId: null, granted: 0, revoked: 0, defaultsCleared: 0 }
      const changeId = randomUUID()
      const seq = repo.insertChange(changeId, at, granted, revoked)
      repo.pruneChanges(seq - KEEP_CHANGE_SETS)
      this.options.audit.record({
        action: 'authorization.change',
        ...auditScope(granted, revoked, lookup),
        detail: changeDetail(granted, revoked, lookup, defaultsCleared),
      })
      return { changeId, granted: granted.length, revoked: revoked.length, defaultsCleared }
    })
    if (result.changeId)
      this.options.log.info('authorizations.changed', {
        granted: result.granted,
        revoked: result.revoked,
      })
    return result
  }

  /**
   * Reverses the last change set not yet undone: its grants are revoked and its revokes granted
   * again (where the connection and environment still exist). Calling it again undoes the one
   * before. NOT_FOUND when there is nothing to undo.
   */
  undoLastChange(options: { confirmProtected?: boolean } = {}): UndoResult {
    this.options.vault.requireKey()
    const repo = this.repo()
    const result = writeTransaction(repo.db, (): UndoResult => {
      const last = repo.lastChange()
      if (!last) {
        throw new BridgekeepError('NOT_FOUND', 'There is no change to undo.')
      }
      const grants = JSON.parse(last.grants) as StoredPair[]
      const revokes = JSON.parse(last.revokes) as StoredPair[]
      const at = this.now().toISOString()
      const revoked: StoredPair[] = []
      const granted: StoredPair[] = []
      for (const [connectionId, environmentId] of grants) {
        if (repo.revoke(connectionId, environmentId)) {
          revoked.push([connectionId, environmentId])
          repo.clearDefaultForPair(environmentId, connectionId)
        }
      }
      for (const [connectionId, environmentId] of revokes) {
        if (repo.regrant(connectionId, environmentId, at))
          granted.push([connectionId, environmentId])
      }
      const lookup = this.lookupStored([...granted, ...revoked])
      this.requireConfirmation(granted, revoked, lookup, options.confirmProtected)
      repo.markUndone(last.seq, at)
      this.options.audit.record({
        action: 'authorization.undo',
        ...auditScope(granted, revoked, lookup),
        detail: `Undid the change of ${last.created_at}: ${changeDetail(granted, revoked, lookup, 0)}`,
      })
      return { changeId: last.id, granted: granted.length, revoked: revoked.length }
    })
    return this.changed({ reason: 'authorizations', changeId: result.changeId }, result)
  }

  /** The environments one connection is authorized for, in column order. */
  authorizationsFor(connectionId: string): { connectionId: string; environmentIds: string[] } {
    this.options.vault.requireKey()
    this.requireConnection(connectionId)
    return { connectionId, environmentIds: this.repo().authorizationsFor(connectionId) }
  }

  /** Makes `environmentIds` exactly the set one connection is authorized for (one change set). */
  setAuthorizations(raw: unknown): ChangeResult {
    this.options.vault.requireKey()
    const input = parseInput(setAuthorizationsSchema, raw)
    const repo = this.repo()
    const result = writeTransaction(repo.db, (): ChangeResult => {
      this.requireConnection(input.connectionId)
      const wanted = new Set(input.environmentIds)
      const current = new Set(repo.authorizationsFor(input.connectionId))
      const pair = (environmentId: string): AuthorizationPair => ({
        connectionId: input.connectionId,
        environmentId,
      })
      return this.apply({
        grants: [...wanted].filter((id) => !current.has(id)).map(pair),
        revokes: [...current].filter((id) => !wanted.has(id)).map(pair),
        ...(input.confirmProtected === undefined
          ? {}
          : { confirmProtected: input.confirmProtected }),
      })
    })
    return this.announced(result)
  }

  defaults(): EnvironmentDefault[] {
    this.options.vault.requireKey()
    return this.repo().defaults()
  }

  /**
   * Sets (or, with null, clears) the connection resolution uses for a provider in an
   * environment when several are authorized. It must be of that provider and authorized there.
   */
  setDefault(raw: unknown): {
    environmentId: string
    provider: string
    connectionId: string | null
  } {
    this.options.vault.requireKey()
    const input = parseInput(setDefaultSchema, raw)
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
      const connection = this.requireConnection(input.connectionId)
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
    this.options.events?.emit('environments:changed', payload)
    return value
  }

  /** An authorization change set that changed something is pushed with its id. */
  private announced(result: ChangeResult): ChangeResult {
    if (result.changeId) this.changed({ reason: 'authorizations', changeId: result.changeId }, null)
    return result
  }

  private withCount(row: EnvironmentRow): Environment {
    return toEnvironment(row, this.repo().liveCounts().get(row.id) ?? 0)
  }

  /** Every connection and environment the pairs name; NOT_FOUND for one that is gone. */
  private lookup(...lists: AuthorizationPair[][]): Lookup {
    const repo = this.repo()
    const connections = new Map<string, ConnectionRef>()
    const environments = new Map<string, EnvironmentRow>()
    for (const list of lists) {
      for (const { connectionId, environmentId } of list) {
        if (!connections.has(connectionId)) {
          const connection = repo.connection(connectionId)
          if (!connection) {
            throw new BridgekeepError(
              'NOT_FOUND',
              'A connection in these changes no longer exists (it may have been purged).',
              'Reload the matrix and try again. Nothing was changed.',
            )
          }
          connections.set(connectionId, connection)
        }
        if (!environments.has(environmentId)) {
          const env = repo.get(environmentId)
          if (!env) {
            throw new BridgekeepError(
              'NOT_FOUND',
              'An environment in these changes no longer exists.',
              'Reload the matrix and try again. Nothing was changed.',
            )
          }
          environments.set(environmentId, env)
        }
      }
    }
    return { connections, environments }
  }

  private lookupStored(pairs: StoredPair[]): Lookup {
    return this.lookup(
      pairs.map(([connectionId, environmentId]) => ({ connectionId, environmentId })),
    )
  }

  /** Throws CONFIRMATION_REQUIRED naming every change in a protected environment. */
  private requireConfirmation(
    granted: StoredPair[],
    revoked: StoredPair[],
    lookup: Lookup,
    confirmed: boolean | undefined,
  ): void {
    const touched = new Map<string, ProtectedChange>()
    const note = (pairs: StoredPair[], kind: 'grant' | 'revoke') => {
      for (const [connectionId, environmentId] of pairs) {
        const env = lookup.environments.get(environmentId)
        if (env?.protected !== 1) continue
        let change = touched.get(environmentId)
        if (!change)
          touched.set(
            environmentId,
            (change = {
              environment: { id: environmentId, name: env.name },
              grant: [],
              revoke: [],
            }),
          )
        change[kind].push(lookup.connections.get(connectionId)?.name ?? connectionId)
      }
    }
    note(granted, 'grant')
    note(revoked, 'revoke')
    requireProtectedConfirmation([...touched.values()], confirmed)
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

  private requireConnection(id: string): ConnectionRef {
    const connection = this.repo().connection(id)
    if (!connection) {
      throw new BridgekeepError(
        'NOT_FOUND',
        'That connection does not exist (it may have been purged).',
      )
    }
    return connection
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

interface Lookup {
  connections: Map<string, ConnectionRef>
  environments: Map<string, EnvironmentRow>
}

function toEnvironment(row: EnvironmentRow, authorizedCount: number): Environment {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    color: row.color,
    description: row.description,
    protected: row.protected === 1,
    position: row.position,
    authorizedCount,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

function envTarget(row: EnvironmentRow) {
  return { type: 'environment' as const, id: row.id, name: row.name }
}

function envRef(row: EnvironmentRow) {
  return { id: row.id, name: row.name }
}

/** The audit entry's target and environment: set when every pair shares it. */
function auditScope(granted: StoredPair[], revoked: StoredPair[], lookup: Lookup) {
  const pairs = [...granted, ...revoked]
  const connectionIds = new Set(pairs.map(([connectionId]) => connectionId))
  const environmentIds = new Set(pairs.map(([, environmentId]) => environmentId))
  const [onlyConnection] = connectionIds.size === 1 ? connectionIds : []
  const [onlyEnvironment] = environmentIds.size === 1 ? environmentIds : []
  const connection = onlyConnection ? lookup.connections.get(onlyConnection) : undefined
  const env = onlyEnvironment ? lookup.environments.get(onlyEnvironment) : undefined
  return {
    target: connection
      ? { type: 'connection' as const, id: connection.id, name: connection.name }
      : { type: 'matrix' as const },
    environment: env ? envRef(env) : null,
  }
}

/** "2 granted, 1 revoked: +prod-aws@production, +ci@staging, -old@production" (kept short). */
function changeDetail(
  granted: StoredPair[],
  revoked: StoredPair[],
  lookup: Lookup,
  defaultsCleared: number,
): string {
  const head = `${granted.length} granted, ${revoked.length} revoked${defaultsCleared ? `, ${plural(defaultsCleared, 'default')} cleared` : ''}`
  const cell = (sign: string, [connectionId, environmentId]: StoredPair) =>
    `${sign}${lookup.connections.get(connectionId)?.name ?? connectionId}@${lookup.environments.get(environmentId)?.name ?? environmentId}`
  const cells = [...granted.map((p) => cell('+', p)), ...revoked.map((p) => cell('-', p))]
  let detail = `${head}:`
  let shown = 0
  for (const text of cells) {
    if (detail.length + text.length > 400) break
    detail += `${shown ? ',' : ''} ${text}`
    shown++
  }
  return shown < cells.length ? `${detail} and ${cells.length - shown} more` : detail
}

/** "Pre-prod (EU)" -> "pre-prod-eu"; a name with no letters or digits gets "environment". */
function environmentSlug(name: string): string {
  const slug = slugify(name).slice(0, 40).replace(/-+$/g, '')
  return slug === 'connection' && !/connection/i.test(name) ? 'environment' : slug
}
