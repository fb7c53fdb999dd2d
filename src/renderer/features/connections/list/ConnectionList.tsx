import { Search } from 'lucide-react'
import { useDeferredValue, useEffect, useMemo, useRef, useState, type RefObject } from 'react'
import type { ConnectionSummary } from '../../../api/connections'
import { useMatrix, type Matrix } from '../../../api/environments'
import type { ConnectionHealth } from '../../../api/health'
import { healthLabel } from '../../health/HealthStatus'
import { providerLabel } from '../catalog'
import styles from './ConnectionList.module.css'
import { ConnectionsTable, type ConnectionRow, type RowEnvironment } from './ConnectionsTable'

const count = new Intl.NumberFormat()

/**
 * Lowercased text a search can match: name, slug, provider (id and label), labels and the health
 * status ("failing" finds what is broken).
 */
function searchText(connection: ConnectionRow): string {
  return [
    connection.name,
    healthLabel(connection.health).text,
    connection.slug,
    connection.provider,
    providerLabel(connection.provider),
    ...connection.labels,
    ...(connection.environments ?? []).map((environment) => environment.name),
  ]
    .join('\n')
    .toLowerCase()
}

/** Each connection's environments, in the environments' order, from the matrix's indexes. */
function environmentsById(matrix: Matrix | undefined): Map<string, RowEnvironment[]> | undefined {
  if (!matrix) return undefined
  const byId = new Map<string, RowEnvironment[]>()
  matrix.connections.forEach((connection, row) => {
    const indexes = matrix.authorized[row] ?? []
    byId.set(
      connection.id,
      indexes.flatMap((index) => {
        const environment = matrix.environments[index]
        return environment ? [{ name: environment.name, color: environment.color }] : []
      }),
    )
  })
  return byId
}

/** The search box over the table. "/" anywhere on the page jumps into it. */
export function ConnectionList({
  connections: summaries,
  health,
}: {
  connections: ConnectionSummary[]
  health: ConnectionHealth[] | undefined
}) {
  // Asked for here, once the list is shown: with 10,000 connections the list comes first, and the
  // Environments column fills in when the matrix arrives.
  const matrix = useMatrix().data
  const connections = useMemo((): ConnectionRow[] => {
    const byId = new Map(health?.map((item) => [item.connectionId, item]))
    const environments = environmentsById(matrix)
    return summaries.map((connection) => ({
      ...connection,
      health: byId.get(connection.id),
      // Not in the matrix (e.g. just created): none yet, once the matrix is known.
      environments: environments && (environments.get(connection.id) ?? []),
    }))
  }, [summaries, health, matrix])
  const [query, setQuery] = useState('')
  // Typing stays responsive with 10,000 rows: the filter runs at a lower priority than the input.
  const deferred = useDeferredValue(query)
  const index = useMemo(
    () => connections.map((connection) => ({ connection, text: searchText(connection) })),
    [connections],
  )
  const filtered = useMemo(() => {
    const terms = deferred.toLowerCase().split(/\s+/).filter(Boolean)
    if (terms.length === 0) return connections
    return index
      .filter(({ text }) => terms.every((term) => text.includes(term)))
      .map(({ connection }) => connection)
  }, [deferred, index, connections])

  const searchRef = useRef<HTMLInputElement>(null)
  useSlashToSearch(searchRef)

  const summary =
    filtered.length === connections.length
      ? `${count.format(connections.length)} ${connections.length === 1 ? 'connection' : 'connections'}`
      : `${count.format(filtered.length)} of ${count.format(connections.length)} connections match`
  return (
    <section aria-label="Your connections">
      <div className={styles.toolbar}>
        <div className={styles.search}>
          <Search aria-hidden="true" className={styles.searchIcon} />
          <input
            ref={searchRef}
            type="search"
            className={`input ${styles.searchInput}`}
            placeholder="Search name, slug, provider, label, health"
            aria-label="Search connections"
            aria-keyshortcuts="/"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
          />
          <kbd className={styles.kbd} aria-hidden="true">
            /
          </kbd>
        </div>
        <p className={styles.count} role="status">
          {summary}
        </p>
      </div>
      {filtered.length === 0 ? (
        <p className={styles.noMatch}>
          No connection matches “{deferred}”. Search looks at names, slugs, providers, labels,
          environments and health.
        </p>
      ) : (
        <ConnectionsTable connections={filtered} label="Connections" />
      )}
    </section>
  )
}

/** "/" focuses the search box, unless the user is typing somewhere already. */
function useSlashToSearch(ref: RefObject<HTMLInputElement | null>): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return
      const target = event.target as HTMLElement | null
      if (target?.closest('input, textarea, select, [contenteditable="true"]')) return
      event.preventDefault()
      ref.current?.focus()
      ref.current?.select()
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [ref])
}
