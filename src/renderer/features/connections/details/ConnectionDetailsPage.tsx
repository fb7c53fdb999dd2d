import { propertyPairs } from '../../../../shared/providers/http-request'
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
import { getProvider, type FieldSpec, type ProviderSpec } from '../catalog'
import styles from './ConnectionDetailsPage.module.css'
import { AuthorizedFor } from './AuthorizedFor'
import { AwsSetupPanel } from './AwsSetupPanel'
import { SsoConnectionPanel } from './SsoConnectionPanel'
import { OverviewPanel } from './OverviewPanel'
import { RotateDialog } from './RotateDialog'
import { SecretsPanel } from './SecretsPanel'
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
        {/* What a user comes for first: the credentials and how to use them. */}
        <SecretsPanel detail={detail} provider={provider} />
        {!trashed && <UseItPanel detail={detail} />}
        <OverviewPanel detail={detail} />
        {detail.provider === 'aws' &&
          !useOnly &&
          (detail.authMode === 'sso' ? (
            <SsoConnectionPanel detail={detail} readOnly={trashed} />
          ) : (
            <AwsSetupPanel detail={detail} readOnly={trashed} />
          ))}
        <HealthPanel
          connectionId={detail.id}
          disabled={trashed}
          offerVerify={justCreated === true}
        />
        <AuthorizedFor connectionId={detail.id} provider={detail.provider} disabled={trashed} />
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

function Configuration({ detail, provider }: { detail: ConnectionDetail; provider: ProviderSpec }) {
  const entries = provider.fields.filter(
    // Identifiers are shown with the secrets already.
    (spec) =>
      !spec.secret &&
      !spec.identifier &&
      (detail.config[spec.key] ?? detail.derived?.[spec.key]) !== undefined,
  )
  if (entries.length === 0) return null
  return (
    <section className={styles.panel} aria-labelledby="config-title">
      <h2 id="config-title" className={styles.panelTitle}>
        Settings
      </h2>
      <dl className={styles.facts}>
        {entries.map((spec) => (
          <ConfigEntry
            key={spec.key}
            spec={spec}
            value={detail.config[spec.key] ?? detail.derived?.[spec.key] ?? ''}
            derived={detail.config[spec.key] === undefined}
          />
        ))}
      </dl>
    </section>
  )
}

/** `derived`: not stored but read from a secret (GCP's project from the key), and said so. */
function ConfigEntry({
  spec,
  value,
  derived,
}: {
  spec: FieldSpec
  value: string
  derived: boolean
}) {
  const shown =
    spec.input === 'checkbox'
      ? value === 'true'
        ? 'Yes'
        : 'No'
      : spec.input === 'pairs'
        ? propertyPairs(value)
            .map(([name, text]) => `${name} = ${text}`)
            .join('\n')
        : (spec.options?.find((option) => option.value === value)?.label ?? value)
  const long = spec.input === 'textarea' || spec.input === 'pairs'
  return (
    <>
      <dt>{spec.label}</dt>
      <dd className={long ? `${styles.long} mono` : undefined}>
        {shown}
        {derived && <span className={styles.derived}> (from the key)</span>}
      </dd>
    </>
  )
}
