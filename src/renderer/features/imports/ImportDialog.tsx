import { useState } from 'react'
import {
  useImportConnections,
  useImportPreview,
  type ImportSource as Source,
} from '../../api/imports'
import { Dialog, DialogActions } from '../../components/Dialog'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Spinner } from '../../components/Spinner'
import styles from './ImportDialog.module.css'

import type { ImportItem as Item } from '../../api/imports'

const sources: Record<Source, { label: string; nothing: string }> = {
  aws: {
    label: 'AWS profiles',
    nothing:
      'No AWS credentials file was found. Bridgekeep reads ~/.aws/credentials (or AWS_SHARED_CREDENTIALS_FILE) and never changes it.',
  },
  kube: {
    label: 'Kubernetes contexts',
    nothing:
      'No kubeconfig was found. Bridgekeep reads the first file in KUBECONFIG, or ~/.kube/config, and never changes it.',
  },
}

/**
 * Imports from files the user already has: a preview (no secret values: key ids masked), a
 * choice per item with the new connection's name, then one all-or-nothing import.
 */
export function ImportDialog({
  open,
  onOpenChange,
}: {
  open: boolean
  onOpenChange: (open: boolean) => void
}) {
  const [source, setSource] = useState<Source>('aws')
  const query = useImportPreview(source, open)
  const close = () => onOpenChange(false)

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Import connections"
      size="wide"
      description="Bring in credentials you already have on this computer. The files are only read."
    >
      <div className={styles.sources} role="radiogroup" aria-label="Import from">
        {(Object.keys(sources) as Source[]).map((key) => (
          <label key={key} className={styles.source}>
            <input
              type="radio"
              name="import-source"
              checked={source === key}
              onChange={() => setSource(key)}
            />
            {sources[key].label}
          </label>
        ))}
      </div>
      {query.isSuccess && query.data.found && query.data.items.length > 0 ? (
        // Keyed by the preview: a fresh preview starts a fresh choice.
        <ImportChoices
          key={`${source}:${query.dataUpdatedAt}`}
          source={source}
          path={query.data.path}
          items={query.data.items}
          onClose={close}
        />
      ) : (
        <>
          {query.isPending ? (
            <Spinner label="Reading" />
          ) : query.isError ? (
            <ErrorNotice error={query.error} title="The file could not be read" />
          ) : (
            <p className={styles.nothing}>
              {query.data.found
                ? `${query.data.path} holds nothing to import.`
                : sources[source].nothing}
            </p>
          )}
          <DialogActions>
            <button type="button" className="button" onClick={close}>
              Cancel
            </button>
          </DialogActions>
        </>
      )}
    </Dialog>
  )
}

/** The items of one preview, each chosen (importable ones at first) under an editable name. */
function ImportChoices({
  source,
  path,
  items,
  onClose,
}: {
  source: Source
  path: string
  items: Item[]
  onClose: () => void
}) {
  const [chosen, setChosen] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      items.filter((item) => !item.problem).map((item) => [item.source, item.suggestedName]),
    ),
  )
  const run = useImportConnections(source)
  const choices = Object.entries(chosen).map(([itemSource, name]) => ({ source: itemSource, name }))

  if (run.isSuccess) {
    return (
      <>
        <p role="status" className={styles.done}>
          Imported {run.data.length} connection{run.data.length === 1 ? '' : 's'}:{' '}
          {run.data.map((connection) => connection.name).join(', ')}.
        </p>
        <DialogActions>
          <button type="button" className="button primary" onClick={onClose}>
            Done
          </button>
        </DialogActions>
      </>
    )
  }
  return (
    <>
      <p className={styles.path}>
        From <code>{path}</code>
      </p>
      <ul className={styles.items} aria-label={sources[source].label}>
        {items.map((item) => {
          const selected = item.source in chosen
          const id = `import-${source}-${item.source}`
          return (
            <li key={item.source} className={styles.item} data-problem={Boolean(item.problem)}>
              <input
                id={id}
                type="checkbox"
                checked={selected}
                disabled={Boolean(item.problem)}
                aria-describedby={item.problem ? `${id}-problem` : undefined}
                onChange={(event) =>
                  setChosen((current) => {
                    const next = { ...current }
                    if (event.target.checked) next[item.source] = item.suggestedName
                    else delete next[item.source]
                    return next
                  })
                }
              />
              <div className={styles.itemBody}>
                <label htmlFor={id} className={styles.itemName}>
                  {item.source}
                </label>
                <span className={styles.itemDetails}>{item.details.join(' · ')}</span>
                {item.problem && (
                  <span id={`${id}-problem`} className={styles.problem}>
                    {item.problem}
                  </span>
                )}
              </div>
              {selected && (
                <input
                  className={styles.nameInput}
                  aria-label={`Connection name for ${item.source}`}
                  value={chosen[item.source]}
                  maxLength={100}
                  onChange={(event) =>
                    setChosen((current) => ({ ...current, [item.source]: event.target.value }))
                  }
                />
              )}
            </li>
          )
        })}
      </ul>
      {run.isError && <ErrorNotice error={run.error} title="Nothing was imported" />}
      <DialogActions>
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="button primary"
          disabled={
            choices.length === 0 ||
            run.isPending ||
            choices.some((choice) => choice.name.trim() === '')
          }
          onClick={() => run.mutate(choices)}
        >
          {run.isPending ? 'Importing…' : `Import ${choices.length}`}
        </button>
      </DialogActions>
    </>
  )
}
