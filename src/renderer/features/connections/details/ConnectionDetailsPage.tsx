import { ArrowLeft, Pencil, RotateCw, Share2, Trash2 } from 'lucide-react'
import { useState } from 'react'
import { Link, useLocation, useNavigate, useParams } from 'react-router'
import { TRASH_RETENTION_DAYS } from '../../../../shared/connections'
import { useConnection, useTrashConnection, type ConnectionDetail } from '../../../api/connections'
import { ConfirmDialog } from '../../../components/ConfirmDialog'
import { ErrorNotice } from '../../../components/ErrorNotice'
import { Page } from '../../../components/Page'
import { Spinner } from '../../../components/Spinner'
import { useToast } from '../../../components/Toast'
import { HealthPanel } from '../../health/HealthPanel'
import { ShareDialog } from '../../sharing/ShareDialog'
import { UseOnlyPanel } from '../../sharing/UseOnlyPanel'
import { authModeLabel, getProvider, type FieldSpec, type ProviderSpec } from '../catalog'
import { formatDateTime } from '../format'
import styles from './ConnectionDetailsPage.module.css'
import { AuthorizedFor } from './AuthorizedFor'
import { RotateDialog } from './RotateDialog'
import { SecretRow } from './SecretRow'
import { SecretVersions } from './SecretVersions'
import { UsageHistory } from './UsageHistory'
import { UseItPanel } from './UseItPanel'

/** #/connections/:id — everything about one connection, secrets masked until revealed. */
export function ConnectionDetailsPage() {
  const { id = '' } = useParams()
  const connection = useConnection(id)

  if (connection.isPending) return <Spinner label="Loading the connection" />
  if (connection.isError) {
    return (
      <Page title="Connection" description="The connection could not be loaded.">
        <ErrorNotice
          error={connection.error}
          title="The connection could not be loaded"
          action={
            <Link className="button" to="/connections">
              <ArrowLeft aria-hidden="true" />
              Back to Connections
            </Link>
          }
        />
      </Page>
    )
  }
  // Keyed by id: moving to another connection starts with everything hidden again.
  return <ConnectionDetails key={connection.data.id} detail={connection.data} />
}

function ConnectionDetails({ detail }: { detail: ConnectionDetail }) {
  const provider = getProvider(detail.provider)
  const [rotating, setRotating] = useState(false)
  const [trashing, setTrashing] = useState(false)
  const [sharing, setSharing] = useState(false)
  const useOnly = detail.useOnly === true
  const trash = useTrashConnection()
  const navigate = useNavigate()
  const notify = useToast()
  const trashed = detail.deletedAt !== null
  // Just saved from the form: the Health panel offers to verify it now.
  const justCreated = (useLocation().state as { justCreated?: boolean } | null)?.justCreated

  return (
    <Page
      title={detail.name}
      description={`${provider?.label ?? detail.provider} connection`}
      actions={
        trashed ? (
          <Link className="button" to="/connections/trash">
            Open the trash
          </Link>
        ) : (
          <>
            <Link className="button" to={`/connections/${detail.id}/edit`}>
              <Pencil aria-hidden="true" />
              Edit
            </Link>
            {!useOnly && (
              <button type="button" className="button" onClick={() => setSharing(true)}>
                <Share2 aria-hidden="true" />
                Share
              </button>
            )}
            {!useOnly && (
              <button
                type="button"
                className="button"
                disabled={!provider || detail.secrets.length === 0}
                onClick={() => setRotating(true)}
              >
                <RotateCw aria-hidden="true" />
                Rotate
              </button>
            )}
            <button type="button" className="button" onClick={() => setTrashing(true)}>
              <Trash2 aria-hidden="true" />
              Move to trash
            </button>
          </>
        )
      }
    >
      <div className={styles.stack}>
        {detail.integrityError && (
          <ErrorNotice
            error={{
              code: 'VAULT_INTEGRITY',
              message: detail.integrityError,
              hint: 'Rotate the damaged secret to store a new value, or restore the vault from a backup. Other connections are unaffected.',
            }}
            title="A stored secret failed its integrity check"
          />
        )}
        {trashed && (
          <p className={styles.trashedNote} role="note">
            This connection is in the trash. Restore it from the trash to use or change it.
          </p>
        )}
        {(useOnly || detail.share) && <UseOnlyPanel detail={detail} />}
        {!trashed && <UseItPanel detail={detail} />}
        <Overview detail={detail} />
        <HealthPanel
          connectionId={detail.id}
          disabled={trashed}
          offerVerify={justCreated === true}
        />
        <AuthorizedFor connectionId={detail.id} provider={detail.provider} disabled={trashed} />
        <Secrets detail={detail} provider={provider} />
        {provider && <Configuration detail={detail} provider={provider} />}
        {detail.notes && (
          <section className={styles.panel} aria-labelledby="notes-title">
            <h2 id="notes-title" className={styles.panelTitle}>
              Notes
            </h2>
            <p className={styles.notes}>{detail.notes}</p>
          </section>
        )}
        <UsageHistory connectionId={detail.id} />
        <SecretVersions detail={detail} />
      </div>

      {provider && rotating && (
        <RotateDialog
          detail={detail}
          provider={provider}
          open={rotating}
          onOpenChange={setRotating}
        />
      )}
      {sharing && (
        <ShareDialog open={sharing} onOpenChange={setSharing} connectionIds={[detail.id]} />
      )}
      <ConfirmDialog
        open={trashing}
        onOpenChange={setTrashing}
        title={`Move “${detail.name}” to the trash?`}
        description={
          <p>
            <strong>{detail.name}</strong> stops being available to tools and the CLI. You can
            restore it from the trash for {TRASH_RETENTION_DAYS} days; after that it is deleted for
            good.
          </p>
        }
        confirmLabel="Move to trash"
        tone="danger"
        onConfirm={async () => {
          await trash.mutateAsync(detail.id)
          notify({
            message: `“${detail.name}” was moved to the trash. Restore it from there within ${TRASH_RETENTION_DAYS} days.`,
          })
          void navigate('/connections')
        }}
      />
    </Page>
  )
}

function Overview({ detail }: { detail: ConnectionDetail }) {
  return (
    <section className={styles.panel} aria-labelledby="overview-title">
      <h2 id="overview-title" className={styles.panelTitle}>
        Overview
      </h2>
      <dl className={styles.facts}>
        <dt>Provider</dt>
        <dd>{getProvider(detail.provider)?.label ?? detail.provider}</dd>
        <dt>Authentication</dt>
        <dd>{authModeLabel(detail.authMode)}</dd>
        <dt>Slug</dt>
        <dd className="mono">{detail.slug}</dd>
        <dt>Labels</dt>
        <dd>
          {detail.labels.length === 0 ? (
            <span className={styles.muted}>None</span>
          ) : (
            <ul className={styles.chips} aria-label="Labels">
              {detail.labels.map((label) => (
                <li key={label} className={styles.chip}>
                  {label}
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Created</dt>
        <dd>
          <time dateTime={detail.createdAt}>{formatDateTime(detail.createdAt)}</time>
        </dd>
        <dt>Updated</dt>
        <dd>
          <time dateTime={detail.updatedAt}>{formatDateTime(detail.updatedAt)}</time>
        </dd>
      </dl>
    </section>
  )
}

function Secrets({ detail, provider }: { detail: ConnectionDetail; provider?: ProviderSpec }) {
  const trashed = detail.deletedAt !== null
  return (
    <section className={styles.panel} aria-labelledby="secrets-title">
      <div className={styles.panelHeader}>
        <h2 id="secrets-title" className={styles.panelTitle}>
          Secrets
        </h2>
        <span className={styles.version} data-testid="secret-version">
          Version {detail.secretVersion}
        </span>
      </div>
      {detail.secrets.length === 0 ? (
        <p className={styles.muted}>
          Nothing secret is stored: this connection uses{' '}
          {authModeLabel(detail.authMode).toLowerCase()}.
        </p>
      ) : (
        <>
          <p className={styles.panelIntro}>
            {detail.useOnly
              ? 'Use-only: these values are never shown or copied here; tools use them through Bridgekeep.'
              : 'Values stay masked. Reveals and copies are recorded; a revealed value hides again after 30 seconds, and a copied one is cleared from the clipboard after 30 seconds.'}
          </p>
          <ul className={styles.secretList}>
            {detail.secrets.map((secret) => (
              <SecretRow
                key={secret.field}
                connectionId={detail.id}
                secret={secret}
                label={labelOf(provider, secret.field)}
                disabled={trashed}
                useOnly={detail.useOnly === true}
              />
            ))}
          </ul>
        </>
      )}
    </section>
  )
}

function Configuration({ detail, provider }: { detail: ConnectionDetail; provider: ProviderSpec }) {
  const entries = provider.fields.filter(
    (spec) => !spec.secret && detail.config[spec.key] !== undefined,
  )
  if (entries.length === 0) return null
  return (
    <section className={styles.panel} aria-labelledby="config-title">
      <h2 id="config-title" className={styles.panelTitle}>
        Settings
      </h2>
      <dl className={styles.facts}>
        {entries.map((spec) => (
          <ConfigEntry key={spec.key} spec={spec} value={detail.config[spec.key] ?? ''} />
        ))}
      </dl>
    </section>
  )
}

function ConfigEntry({ spec, value }: { spec: FieldSpec; value: string }) {
  const shown =
    spec.input === 'checkbox'
      ? value === 'true'
        ? 'Yes'
        : 'No'
      : (spec.options?.find((option) => option.value === value)?.label ?? value)
  const long = spec.input === 'textarea'
  return (
    <>
      <dt>{spec.label}</dt>
      <dd className={long ? `${styles.long} mono` : undefined}>{shown}</dd>
    </>
  )
}

function labelOf(provider: ProviderSpec | undefined, field: string): string {
  return provider?.fields.find((spec) => spec.key === field)?.label ?? field
}
