import { vault001 } from './001-vault'
import type { Migration } from './types'

/** Every migration, in order. Append only: a released migration is never edited. */
export const migrations: readonly Migration[] = [vault001]

export const LATEST_SCHEMA_VERSION = migrations.at(-1)?.version ?? 0
