import type { z } from 'zod'
import { randomUUID } from 'node:crypto'
import {
  applyChangesSchema,
  type setAuthorizationsSchema,
  type ApplyChangesInput,
  type AuthorizationPair,
  type ChangeResult,
  type Matrix,
  type MatrixConnection,
  type UndoResult,
} from '../../../shared/environments'
import { BridgekeepError } from '../../../shared/errors'
import { parseInput } from '../../../shared/validation'
import { plural } from '../../../shared/wording'
import { writeTransaction } from '../../db/database'
import type { ConnectionRef, EnvironmentRow, StoredPair } from './environments-repository'
import {
  announceChange,
  envRef,
  repositoryOf,
  requireConnectionRow,
  toEnvironment,
  type EnvironmentsOptions,
} from './environment-records'
import { requireProtectedConfirmation, type ProtectedChange } from './protected-confirmation'

/** Change sets kept for undo. */
const KEEP_CHANGE_SETS = 100

/**
 * The authorization matrix: which connection may be used in which environment. Grants and revokes
 * are applied as change sets (one transaction, one audit entry, undoable), then pushed to the
 * windows (`environments:changed`); a change touching a protected environment needs confirming.
 * Environments themselves and the defaults per provider are EnvironmentsService's.
 */
export class AuthorizationsService {
  private readonly now: () => Date
  private readonly repo

  constructor(private readonly options: EnvironmentsOptions) {
    this.now = options.now ?? (() => new Date())
    this.repo = repositoryOf(options.vault)
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
    return announceChange(
      this.options,
      { reason: 'authorizations', changeId: result.changeId },
      result,
    )
  }

  /** The environments one connection is authorized for, in column order. */
  authorizationsFor(connectionId: string): { connectionId: string; environmentIds: string[] } {
    this.options.vault.requireKey()
    requireConnectionRow(this.repo(), connectionId)
    return { connectionId, environmentIds: this.repo().authorizationsFor(connectionId) }
  }

  /** Makes `environmentIds` exactly the set one connection is authorized for (one change set). */
  setAuthorizations(input: z.output<typeof setAuthorizationsSchema>): ChangeResult {
    this.options.vault.requireKey()
    const repo = this.repo()
    const result = writeTransaction(repo.db, (): ChangeResult => {
      requireConnectionRow(repo, input.connectionId)
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

  /** An authorization change set that changed something is pushed with its id. */
  private announced(result: ChangeResult): ChangeResult {
    if (result.changeId)
      announceChange(this.options, { reason: 'authorizations', changeId: result.changeId }, null)
    return result
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
}

interface Lookup {
  connections: Map<string, ConnectionRef>
  environments: Map<string, EnvironmentRow>
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
