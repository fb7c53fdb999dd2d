import { ArrowDown, ArrowUp, Lock, LockOpen, Pencil, Plus, Trash2 } from 'lucide-react'
import { plural } from '../../lib/plural'
import { useState } from 'react'
import { ENVIRONMENT_COLORS } from '../../../shared/environments'
import {
  useDeleteEnvironment,
  useReorderEnvironments,
  useSetProtected,
  type Environment,
} from '../../api/environments'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { ErrorNotice } from '../../components/ErrorNotice'
import { useToast } from '../../components/Toast'
import { EnvironmentDialog } from './EnvironmentDialog'
import styles from './EnvironmentsPage.module.css'

type Editing = { kind: 'create' } | { kind: 'edit'; environment: Environment } | null
type Confirming =
  | { kind: 'delete'; environment: Environment }
  | { kind: 'unprotect'; environment: Environment }
  | null

/** The environments in matrix column order: create, edit, protect, reorder, delete. */
export function EnvironmentList({ environments }: { environments: Environment[] }) {
  const notify = useToast()
  const [editing, setEditing] = useState<Editing>(null)
  const [confirming, setConfirming] = useState<Confirming>(null)
  const setProtected = useSetProtected()
  const reorder = useReorderEnvironments()
  const remove = useDeleteEnvironment()

  const used = new Set(environments.map((env) => env.color))
  const suggestedColor = ENVIRONMENT_COLORS.find((color) => !used.has(color))

  const move = (index: number, by: -1 | 1) => {
    const ids = environments.map((env) => env.id)
    const [id] = ids.splice(index, 1)
    ids.splice(index + by, 0, id!)
    reorder.mutate(ids)
  }

  const error = setProtected.error ?? reorder.error
  return (
    <section aria-labelledby="environments-heading" className={styles.listSection}>
      <div className={styles.listHeader}>
        <h2 id="environments-heading" className={styles.sectionHeading}>
          {plural(environments.length, 'environment')}
        </h2>
        <button
          type="button"
          className="button primary"
          onClick={() => setEditing({ kind: 'create' })}
        >
          <Plus aria-hidden="true" /> New environment
        </button>
      </div>
      {error && <ErrorNotice error={error} />}
      <ul className={styles.list}>
        {environments.map((env, index) => (
          <li key={env.id} className={styles.item} data-testid="environment-item">
            <span className={styles.swatchLarge} style={{ background: env.color }} />
            <div className={styles.itemText}>
              <span className={styles.itemName}>
                {env.name}
                {env.protected && (
                  <span className={styles.protectedBadge}>
                    <Lock aria-hidden="true" /> Protected
                  </span>
                )}
              </span>
              <span className={styles.itemMeta}>
                <span className="mono">{env.slug}</span> ·{' '}
                {env.authorizedCount === 1
                  ? '1 connection authorized'
                  : `${env.authorizedCount} connections authorized`}
                {env.description && <> · {env.description}</>}
              </span>
            </div>
            <div className={styles.itemActions}>
              <button
                type="button"
                className="button quiet small"
                aria-label={`Move ${env.name} left in the matrix`}
                disabled={index === 0 || reorder.isPending}
                onClick={() => move(index, -1)}
              >
                <ArrowUp aria-hidden="true" />
              </button>
              <button
                type="button"
                className="button quiet small"
                aria-label={`Move ${env.name} right in the matrix`}
                disabled={index === environments.length - 1 || reorder.isPending}
                onClick={() => move(index, 1)}
              >
                <ArrowDown aria-hidden="true" />
              </button>
              <button
                type="button"
                className="button small"
                aria-pressed={env.protected}
                onClick={() =>
                  env.protected
                    ? setConfirming({ kind: 'unprotect', environment: env })
                    : setProtected.mutate({ id: env.id, protected: true })
                }
              >
                {env.protected ? <LockOpen aria-hidden="true" /> : <Lock aria-hidden="true" />}
                {env.protected ? 'Unprotect' : 'Protect'}
                <span className="visually-hidden"> {env.name}</span>
              </button>
              <button
                type="button"
                className="button small"
                onClick={() => setEditing({ kind: 'edit', environment: env })}
              >
                <Pencil aria-hidden="true" /> Edit
                <span className="visually-hidden"> {env.name}</span>
              </button>
              <button
                type="button"
                className="button small"
                onClick={() => setConfirming({ kind: 'delete', environment: env })}
              >
                <Trash2 aria-hidden="true" /> Delete
                <span className="visually-hidden"> {env.name}</span>
              </button>
            </div>
          </li>
        ))}
      </ul>

      {editing && (
        <EnvironmentDialog
          open
          onOpenChange={(open) => !open && setEditing(null)}
          {...(editing.kind === 'edit' ? { environment: editing.environment } : {})}
          {...(suggestedColor ? { suggestedColor } : {})}
          onSaved={(env) =>
            notify({
              tone: 'success',
              message: editing.kind === 'edit' ? `Saved ${env.name}.` : `Created ${env.name}.`,
            })
          }
        />
      )}
      {confirming?.kind === 'delete' && (
        <ConfirmDialog
          open
          onOpenChange={(open) => !open && setConfirming(null)}
          title={`Delete ${confirming.environment.name}?`}
          tone="danger"
          confirmLabel="Delete environment"
          description={<DeleteDescription environment={confirming.environment} />}
          onConfirm={async () => {
            const env = confirming.environment
            const result = await remove.mutateAsync({
              id: env.id,
              force: true,
              ...(env.protected ? { confirmProtected: true } : {}),
            })
            notify({
              tone: 'success',
              message: `Deleted ${env.name}${
                result.removedAuthorizations
                  ? ` and its ${plural(result.removedAuthorizations, 'authorization')}`
                  : ''
              }.`,
            })
          }}
        />
      )}
      {confirming?.kind === 'unprotect' && (
        <ConfirmDialog
          open
          onOpenChange={(open) => !open && setConfirming(null)}
          title={`Remove protection from ${confirming.environment.name}?`}
          confirmLabel="Remove protection"
          description={
            <p>
              Grants and revokes in {confirming.environment.name}, and deleting it, will no longer
              ask for confirmation.
            </p>
          }
          onConfirm={() =>
            setProtected.mutateAsync({ id: confirming.environment.id, protected: false })
          }
        />
      )}
    </section>
  )
}

function DeleteDescription({ environment }: { environment: Environment }) {
  const n = environment.authorizedCount
  return (
    <>
      {n > 0 ? (
        <p>
          {n === 1 ? '1 connection is' : `${n} connections are`} authorized for{' '}
          <strong>{environment.name}</strong>. Deleting it removes{' '}
          {n === 1 ? 'that authorization' : `those ${n} authorizations`} and any defaults set for
          it; the connections themselves stay. Undo cannot bring it back.
        </p>
      ) : (
        <p>
          No connection is authorized for <strong>{environment.name}</strong>. Deleting it cannot be
          undone.
        </p>
      )}
      {environment.protected && <p>It is a protected environment.</p>}
    </>
  )
}
