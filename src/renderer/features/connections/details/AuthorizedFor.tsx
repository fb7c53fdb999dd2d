import { Lock, Star } from 'lucide-react'
import { useState } from 'react'
import {
  useAuthorizationsFor,
  useDefaults,
  useEnvironments,
  useSetAuthorizations,
  useSetDefault,
} from '../../../api/environments'
import { providerLabel } from '../catalog'
import { ErrorNotice } from '../../../components/ErrorNotice'
import { useToast } from '../../../components/Toast'
import {
  needsConfirmation,
  useProtectedConfirmation,
} from '../../environments/useProtectedConfirmation'
import styles from './ConnectionDetailsPage.module.css'

/**
 * "Authorized for": the connection's row of the matrix, editable here. Saved as one change set
 * (so the matrix's Undo reverses it), asking first when a protected environment is touched.
 */
export function AuthorizedFor({
  connectionId,
  provider,
  disabled,
}: {
  connectionId: string
  provider: string
  disabled: boolean
}) {
  const environments = useEnvironments()
  const authorizations = useAuthorizationsFor(connectionId)
  const setAuthorizations = useSetAuthorizations()
  const defaults = useDefaults()
  const setDefault = useSetDefault()
  /** Resolution picks the default when several connections of a provider are authorized. */
  const isDefault = (environmentId: string) =>
    defaults.data?.some(
      (d) =>
        d.environmentId === environmentId &&
        d.provider === provider &&
        d.connectionId === connectionId,
    ) ?? false
  const { run, dialog } = useProtectedConfirmation()
  const notify = useToast()
  // Edits over the saved set; null while nothing is edited (so a refetch shows through).
  const [edited, setEdited] = useState<Set<string> | null>(null)

  const saved = new Set(authorizations.data?.environmentIds ?? [])
  const current = edited ?? saved
  const dirty =
    edited !== null && (edited.size !== saved.size || [...edited].some((id) => !saved.has(id)))

  const toggle = (id: string) => {
    const next = new Set(current)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    setEdited(next)
  }

  const save = async () => {
    const environmentIds = [...current]
    const result = await run((confirmed) =>
      setAuthorizations.mutateAsync({
        connectionId,
        environmentIds,
        ...(confirmed ? { confirmProtected: true } : {}),
      }),
    )
    if (!result) return
    setEdited(null)
    notify({
      tone: 'success',
      message: `Authorizations saved: ${result.granted} granted, ${result.revoked} revoked.`,
    })
  }

  return (
    <section className={styles.panel} aria-labelledby="authorized-title">
      <h2 id="authorized-title" className={styles.panelTitle}>
        Authorized for
      </h2>
      <p className={styles.panelIntro}>
        The environments where tools, the CLI and the runner may use this connection.
      </p>
      {environments.isError || authorizations.isError ? (
        <ErrorNotice
          error={environments.error ?? authorizations.error}
          title="Authorizations could not be loaded"
        />
      ) : environments.isPending || authorizations.isPending ? (
        <p className={styles.panelIntro}>Loading…</p>
      ) : environments.data.length === 0 ? (
        <p className={styles.panelIntro}>
          No environments exist yet: create them on the Environments page.
        </p>
      ) : (
        <fieldset className={styles.envChecks} disabled={disabled || setAuthorizations.isPending}>
          <legend className="visually-hidden">Environments</legend>
          {environments.data.map((env) => (
            <span key={env.id} className={styles.envItem}>
              <label className={styles.envCheck}>
                <input
                  type="checkbox"
                  checked={current.has(env.id)}
                  onChange={() => toggle(env.id)}
                />
                <span className={styles.envSwatch} style={{ background: env.color }} />
                {env.name}
                {env.protected && <Lock aria-label="protected" className={styles.envLock} />}
              </label>
              {saved.has(env.id) && (
                <button
                  type="button"
                  className="button quiet small"
                  aria-pressed={isDefault(env.id)}
                  aria-label={`Default ${providerLabel(provider)} connection in ${env.name}`}
                  title="Used when several connections of this provider are authorized here"
                  disabled={setDefault.isPending}
                  onClick={() =>
                    setDefault.mutate({
                      environmentId: env.id,
                      provider,
                      connectionId: isDefault(env.id) ? null : connectionId,
                    })
                  }
                >
                  <Star aria-hidden="true" data-on={isDefault(env.id)} className={styles.star} />
                  {isDefault(env.id) ? 'Default' : 'Make default'}
                </button>
              )}
            </span>
          ))}
        </fieldset>
      )}
      {setDefault.error && <ErrorNotice error={setDefault.error} title="The default was not set" />}
      {setAuthorizations.error && !needsConfirmation(setAuthorizations.error) && (
        <ErrorNotice error={setAuthorizations.error} title="The authorizations were not saved" />
      )}
      {dirty && (
        <div className={styles.envActions}>
          <button type="button" className="button" onClick={() => setEdited(null)}>
            Discard
          </button>
          <button
            type="button"
            className="button primary"
            disabled={setAuthorizations.isPending}
            onClick={() => void save().catch(() => undefined)}
          >
            {setAuthorizations.isPending ? 'Saving…' : 'Save authorizations'}
          </button>
        </div>
      )}
      {dialog}
    </section>
  )
}
