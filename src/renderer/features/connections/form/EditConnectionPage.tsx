import { useNavigate, useParams } from 'react-router'
import { useConnection, useUpdateConnection, type ConnectionDetail } from '../../../api/connections'
import { ErrorNotice } from '../../../components/ErrorNotice'
import { Page } from '../../../components/Page'
import { Spinner } from '../../../components/Spinner'
import { useToast } from '../../../components/Toast'
import { getProvider, type AuthMode, type ProviderSpec } from '../catalog'
import { ConnectionForm } from './ConnectionForm'
import { draftFromStored } from './reference-draft'
import type { FormState } from './useConnectionForm'

/** The stored connection as a form: non-secret values filled in, secret fields empty ("keep"). */
function editState(provider: ProviderSpec, detail: ConnectionDetail): FormState {
  const values: Record<string, string> = {}
  for (const spec of provider.fields) {
    values[spec.key] = spec.secret ? '' : (detail.config[spec.key] ?? spec.defaultValue ?? '')
  }
  return {
    name: detail.name,
    slug: detail.slug,
    slugEdited: true,
    authMode: detail.authMode as AuthMode,
    values,
    labels: detail.labels.join(', '),
    notes: detail.notes,
    shortLivedOnly: detail.shortLivedOnly === true,
    ...referenceState(detail),
  }
}

/** Fields that hold a reference open in "Reference" mode, filled in with it. */
function referenceState(
  detail: ConnectionDetail,
): Pick<FormState, 'references' | 'storedReferences'> {
  const references: FormState['references'] = {}
  const storedReferences: FormState['storedReferences'] = {}
  for (const secret of detail.secrets) {
    if (secret.reference === undefined) continue
    storedReferences[secret.field] = secret.reference
    references[secret.field] = draftFromStored(secret.reference)
  }
  return { references, storedReferences }
}

/** #/connections/:id/edit */
export function EditConnectionPage() {
  const { id = '' } = useParams()
  const connection = useConnection(id)
  const update = useUpdateConnection()
  const navigate = useNavigate()
  const notify = useToast()

  if (connection.isPending) return <Spinner label="Loading the connection" />
  if (connection.isError) {
    return (
      <Page title="Edit connection" description="The connection could not be loaded.">
        <ErrorNotice error={connection.error} title="The connection could not be loaded" />
      </Page>
    )
  }
  const detail = connection.data
  const provider = getProvider(detail.provider)
  if (!provider) {
    return (
      <Page title={`Edit ${detail.name}`} description="This connection cannot be edited here.">
        <ErrorNotice
          error={{
            code: 'NOT_FOUND',
            message: `This version of Bridgekeep does not know the provider “${detail.provider}”.`,
            hint: 'Update Bridgekeep to edit it.',
          }}
        />
      </Page>
    )
  }
  return (
    <Page title={`Edit ${detail.name}`} description={`${provider.label} connection`}>
      <ConnectionForm
        key={detail.id}
        provider={provider}
        initial={editState(provider, detail)}
        editing
        submitLabel="Save changes"
        cancelTo={`/connections/${detail.id}`}
        onSubmit={async (submission) => {
          const saved = await update.mutateAsync({ id: detail.id, ...submission })
          const rotated = saved.secretVersion > detail.secretVersion
          notify({
            tone: 'success',
            message: rotated
              ? `“${saved.name}” was saved; its secrets are now version ${saved.secretVersion}.`
              : `“${saved.name}” was saved.`,
          })
          void navigate(`/connections/${saved.id}`)
        }}
      />
    </Page>
  )
}
