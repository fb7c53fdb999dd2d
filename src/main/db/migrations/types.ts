import type { Database } from 'better-sqlite3'

/** One forward step of the schema. Migrations never go back: each runs once, in a transaction. */
export interface Migration {
  version: number
  name: string
  up(db: Database): void
}
