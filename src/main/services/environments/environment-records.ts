import type { z } from 'zod'
import type { environmentsChangedSchema, Environment } from '../../../shared/environments'
import { BridgekeepError } from '../../../shared/errors'
import type { Logger } from '../../log'
import type { AuditRecorder } from '../audit/audit-service'
import type { EventBus } from '../events/event-bus'
import type { Vault } from '../vault/vault'
import {
  EnvironmentsRepository,
  type ConnectionRef,
  type EnvironmentRow,
} from './environments-repository'

/** What EnvironmentsService and AuthorizationsService are built from. */
export interface EnvironmentsOptions {
  vault: Vault
  audit: AuditRecorder
  /** Tells every window to refetch what it shows of environments and the matrix. */
  events?: Pick<EventBus, 'emit'>
  log: Logger
  now?: () => Date
}

/**
 * The repository over the vault's current database, made again when the vault has opened
 * another one (the database opens with the vault, not at app start).
 */
export function repositoryOf(vault: Vault): () => EnvironmentsRepository {
  let current: EnvironmentsRepository | undefined
  return () => {
    const db = vault.database()
    if (current?.db !== db) current = new EnvironmentsRepository(db)
    return current
  }
}

/** Pushes `environments:changed` once a change is made; returns `value`. */
export function announceChange<T>(
  options: EnvironmentsOptions,
  payload: z.input<typeof environmentsChangedSchema>,
  value: T,
): T {
  options.events?.emit('environments:changed', payload)
  return value
}

export function requireConnectionRow(repo: EnvironmentsRepository, id: string): ConnectionRef {
  const connection = repo.connection(id)
  if (!connection) {
    throw new BridgekeepError(
      'NOT_FOUND',
      'That connection does not exist (it may have been purged).',
    )
  }
  return connection
}

export function toEnvironment(row: EnvironmentRow, authorizedCount: number): Environment {
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

/** An audit entry's environment. */
export function envRef(row: EnvironmentRow) {
  return { id: row.id, name: row.name }
}
