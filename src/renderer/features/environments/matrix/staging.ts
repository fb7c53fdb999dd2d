import type { AuthorizationPair, Matrix } from '../../../../shared/environments'

/**
 * Staged edits to the authorization matrix, kept apart from what main holds: a cell's staged
 * value, keyed by `row * columns + column` (indexes into the matrix's connections and
 * environments). A cell is staged only while it differs from the saved matrix, so the staged
 * set is exactly the list of pending changes.
 */
export type Staged = ReadonlyMap<number, boolean>

export interface SavedMatrix {
  matrix: Matrix
  /** Per row, the environment indexes it is authorized for. */
  rows: ReadonlyArray<ReadonlySet<number>>
  columns: number
}

export function savedMatrix(matrix: Matrix): SavedMatrix {
  return {
    matrix,
    rows: matrix.authorized.map((indexes) => new Set(indexes)),
    columns: matrix.environments.length,
  }
}

export function isSaved(saved: SavedMatrix, row: number, column: number): boolean {
  return saved.rows[row]?.has(column) ?? false
}

export function isAuthorized(saved: SavedMatrix, staged: Staged, row: number, column: number) {
  return staged.get(row * saved.columns + column) ?? isSaved(saved, row, column)
}

/** Sets every given cell to `value`, unstaging cells that return to their saved state. */
export function stage(
  saved: SavedMatrix,
  staged: Staged,
  cells: Iterable<readonly [row: number, column: number]>,
  value: boolean,
): Staged {
  const next = new Map(staged)
  for (const [row, column] of cells) {
    const key = row * saved.columns + column
    if (isSaved(saved, row, column) === value) next.delete(key)
    else next.set(key, value)
  }
  return next
}

/** Flips one cell. */
export function toggleCell(saved: SavedMatrix, staged: Staged, row: number, column: number) {
  return stage(saved, staged, [[row, column]], !isAuthorized(saved, staged, row, column))
}

/**
 * Flips a line of cells (a row across the shown columns, or a column down the shown rows) the
 * way a "select all" box does: all authorized become revoked, otherwise all become authorized.
 */
export function toggleLine(
  saved: SavedMatrix,
  staged: Staged,
  cells: ReadonlyArray<readonly [number, number]>,
): Staged {
  const all = cells.every(([row, column]) => isAuthorized(saved, staged, row, column))
  return stage(saved, staged, cells, !all)
}

/** How many of the given cells are authorized: for a row or column header's mixed state. */
export function countAuthorized(
  saved: SavedMatrix,
  staged: Staged,
  cells: ReadonlyArray<readonly [number, number]>,
): number {
  let count = 0
  for (const [row, column] of cells) if (isAuthorized(saved, staged, row, column)) count++
  return count
}

export interface PendingChange {
  kind: 'grant' | 'revoke'
  row: number
  column: number
  connectionName: string
  environmentName: string
  protected: boolean
}

/** The staged cells as a list for the pending-changes panel, grants first, then by name. */
export function pendingChanges(saved: SavedMatrix, staged: Staged): PendingChange[] {
  const { connections, environments } = saved.matrix
  const changes: PendingChange[] = []
  for (const [key, value] of staged) {
    const row = Math.floor(key / saved.columns)
    const column = key % saved.columns
    const connection = connections[row]
    const environment = environments[column]
    if (!connection || !environment) continue
    changes.push({
      kind: value ? 'grant' : 'revoke',
      row,
      column,
      connectionName: connection.name,
      environmentName: environment.name,
      protected: environment.protected,
    })
  }
  return changes.sort(
    (a, b) =>
      (a.kind === b.kind ? 0 : a.kind === 'grant' ? -1 : 1) ||
      a.connectionName.localeCompare(b.connectionName) ||
      a.column - b.column,
  )
}

/** The staged cells as the grants and revokes `environments:applyChanges` takes. */
export function changeSet(
  saved: SavedMatrix,
  staged: Staged,
): { grants: AuthorizationPair[]; revokes: AuthorizationPair[] } {
  const grants: AuthorizationPair[] = []
  const revokes: AuthorizationPair[] = []
  for (const [key, value] of staged) {
    const connection = saved.matrix.connections[Math.floor(key / saved.columns)]
    const environment = saved.matrix.environments[key % saved.columns]
    if (!connection || !environment) continue
    ;(value ? grants : revokes).push({
      connectionId: connection.id,
      environmentId: environment.id,
    })
  }
  return { grants, revokes }
}

/**
 * Carries staged edits over to a newer matrix (another window saved, a connection was added):
 * each edit follows its connection and environment by id, and edits the new matrix already
 * holds, or whose row or column is gone, are dropped.
 */
export function rebase(from: SavedMatrix, staged: Staged, to: SavedMatrix): Staged {
  if (staged.size === 0) return staged
  const rowOf = new Map(to.matrix.connections.map((c, index) => [c.id, index]))
  const columnOf = new Map(to.matrix.environments.map((e, index) => [e.id, index]))
  const next = new Map<number, boolean>()
  for (const [key, value] of staged) {
    const connection = from.matrix.connections[Math.floor(key / from.columns)]
    const environment = from.matrix.environments[key % from.columns]
    const row = connection ? rowOf.get(connection.id) : undefined
    const column = environment ? columnOf.get(environment.id) : undefined
    if (row === undefined || column === undefined) continue
    if (isSaved(to, row, column) !== value) next.set(row * to.columns + column, value)
  }
  return next
}
