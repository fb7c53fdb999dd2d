import { Undo2 } from 'lucide-react'
import { formatCount, plural } from '../../../lib/plural'
import { useDeferredValue, useEffect, useMemo, useState } from 'react'
import { useApplyChanges, useUndoLastChange, type Matrix } from '../../../api/environments'
import { useToast } from '../../../components/Toast'
import { ErrorNotice } from '../../../components/ErrorNotice'
import { providerLabel } from '../../connections/catalog'
import { formatDateTime } from '../../connections/format'
import { needsConfirmation, useProtectedConfirmation } from '../useProtectedConfirmation'
import { AuthorizationMatrix } from './AuthorizationMatrix'
import { MatrixFooter } from './MatrixFooter'
import { MatrixLegend } from './MatrixLegend'
import styles from './MatrixView.module.css'
import { PendingChanges } from './PendingChanges'
import { changeSet, pendingChanges, rebase, savedMatrix, type Staged } from './staging'

const ALL = ''

/** The matrix with its filters, staged edits, and Save / Discard / Undo last save. */
export function MatrixView({ matrix }: { matrix: Matrix }) {
  const notify = useToast()
  const apply = useApplyChanges()
  const undo = useUndoLastChange()
  const { run, dialog } = useProtectedConfirmation()

  // Staged edits survive a refetch (another window saved, a connection was added): they are
  // carried over to the new matrix by id.
  const [saved, setSaved] = useState(() => savedMatrix(matrix))
  const [staged, setStaged] = useState<Staged>(new Map())
  if (saved.matrix !== matrix) {
    const next = savedMatrix(matrix)
    setStaged(rebase(saved, staged, next))
    setSaved(next)
  }

  const [nameFilter, setNameFilter] = useState('')
  const [provider, setProvider] = useState(ALL)
  const [label, setLabel] = useState(ALL)
  const [columnFilter, setColumnFilter] = useState('')
  const name = useDeferredValue(nameFilter)
  const columnName = useDeferredValue(columnFilter)

  const providers = useMemo(
    () => [...new Set(matrix.connections.map((c) => c.provider))].sort(),
    [matrix.connections],
  )
  const labels = useMemo(
    () => [...new Set(matrix.connections.flatMap((c) => c.labels))].sort(),
    [matrix.connections],
  )
  const rows = useMemo(() => {
    const terms = name.toLowerCase().split(/\s+/).filter(Boolean)
    const shown: number[] = []
    matrix.connections.forEach((c, index) => {
      if (provider !== ALL && c.provider !== provider) return
      if (label !== ALL && !c.labels.includes(label)) return
      const text = `${c.name}\n${c.slug}`.toLowerCase()
      if (terms.every((term) => text.includes(term))) shown.push(index)
    })
    return shown
  }, [matrix.connections, name, provider, label])
  const columns = useMemo(() => {
    const term = columnName.trim().toLowerCase()
    const shown: number[] = []
    matrix.environments.forEach((env, index) => {
      if (!term || env.name.toLowerCase().includes(term) || env.slug.includes(term))
        shown.push(index)
    })
    return shown
  }, [matrix.environments, columnName])

  const changes = useMemo(() => pendingChanges(saved, staged), [saved, staged])

  const save = async () => {
    const { grants, revokes } = changeSet(saved, staged)
    const result = await run((confirmed) =>
      apply.mutateAsync({ grants, revokes, ...(confirmed ? { confirmProtected: true } : {}) }),
    )
    if (!result) return
    setStaged(new Map())
    notify({
      tone: 'success',
      message: `Saved: ${plural(result.granted, 'grant')}, ${plural(result.revoked, 'revoke')}.${
        result.defaultsCleared ? ` ${plural(result.defaultsCleared, 'default')} cleared.` : ''
      }`,
    })
  }

  const undoLast = async () => {
    const result = await run((confirmed) =>
      undo.mutateAsync(confirmed ? { confirmProtected: true } : {}),
    )
    if (result) {
      notify({
        tone: 'success',
        message: `Undid the last save: ${formatCount(result.granted)} granted and ${formatCount(result.revoked)} revoked to restore it.`,
      })
    }
  }

  // Ctrl/⌘+S saves, Escape in the grid does not discard (too easy to lose work by accident).
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
        event.preventDefault()
        if (staged.size > 0 && !apply.isPending) void save().catch(() => undefined)
      }
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  })

  const filtered = rows.length !== matrix.connections.length
  const failure = apply.error ?? undo.error
  const error = needsConfirmation(failure) ? null : failure
  return (
    <section aria-label="Authorization matrix" className={styles.view}>
      <div className={styles.toolbar} role="search" aria-label="Filter the matrix">
        <input
          type="search"
          className={`input ${styles.search}`}
          placeholder="Filter connections by name"
          aria-label="Filter connections by name"
          value={nameFilter}
          onChange={(event) => setNameFilter(event.target.value)}
        />
        <select
          className={`input ${styles.select}`}
          aria-label="Filter by provider"
          value={provider}
          onChange={(event) => setProvider(event.target.value)}
        >
          <option value={ALL}>All providers</option>
          {providers.map((id) => (
            <option key={id} value={id}>
              {providerLabel(id)}
            </option>
          ))}
        </select>
        <select
          className={`input ${styles.select}`}
          aria-label="Filter by label"
          value={label}
          onChange={(event) => setLabel(event.target.value)}
          disabled={labels.length === 0}
        >
          <option value={ALL}>{labels.length === 0 ? 'No labels' : 'All labels'}</option>
          {labels.map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>
        <input
          type="search"
          className={`input ${styles.search}`}
          placeholder="Filter environments"
          aria-label="Filter environments"
          value={columnFilter}
          onChange={(event) => setColumnFilter(event.target.value)}
        />
        <p className={styles.count} role="status">
          {filtered
            ? `${formatCount(rows.length)} of ${plural(matrix.connections.length, 'connection')}`
            : plural(rows.length, 'connection')}{' '}
          × {plural(columns.length, 'environment')}
        </p>
      </div>

      {rows.length === 0 || columns.length === 0 ? (
        <p className={styles.noMatch}>
          Nothing matches these filters. Clear them to see the whole matrix.
        </p>
      ) : (
        <AuthorizationMatrix
          saved={saved}
          staged={staged}
          onStage={setStaged}
          rows={rows}
          columns={columns}
        />
      )}
      <MatrixLegend />
      <p className={styles.keys}>
        Arrows move, <kbd>Space</kbd> toggles; on a connection or environment name it toggles the
        whole row or column (as filtered). <kbd>Ctrl</kbd>+<kbd>S</kbd> saves.
      </p>

      {error && <ErrorNotice error={error} title="The changes were not saved" />}
      <PendingChanges changes={changes} />
      <div className={styles.actions}>
        {matrix.lastChange && (
          <span className={styles.lastChange}>
            Last saved {formatDateTime(matrix.lastChange.at)}:{' '}
            {plural(matrix.lastChange.granted, 'grant')},{' '}
            {plural(matrix.lastChange.revoked, 'revoke')}
          </span>
        )}
        <button
          type="button"
          className="button"
          disabled={!matrix.lastChange || undo.isPending}
          onClick={() => void undoLast().catch(() => undefined)}
        >
          <Undo2 aria-hidden="true" /> Undo last save
        </button>
      </div>
      <MatrixFooter
        count={staged.size}
        saving={apply.isPending}
        onDiscard={() => setStaged(new Map())}
        onSave={() => void save().catch(() => undefined)}
      />
      {dialog}
    </section>
  )
}
