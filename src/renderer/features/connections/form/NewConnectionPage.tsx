import { Compass } from 'lucide-react'
import { useNavigate, useParams } from 'react-router'
import { useCreateConnection } from '../../../api/connections'
import { EmptyState } from '../../../components/EmptyState'
import { Page } from '../../../components/Page'
import { useToast } from '../../../components/Toast'
import { getProvider } from '../catalog'
import { ConnectionForm } from './ConnectionForm'
import { initialCreateState } from './useConnectionForm'

/** #/connections/new/:providerId — the form for a new connection of one provider. */
export function NewConnectionPage() {
  const { providerId = '' } = useParams()
  const provider = getProvider(providerId)
  const create = useCreateConnection()
  const navigate = useNavigate()
  const notify = useToast()

  if (!provider) {
    return (
      <Page title="Unknown provider" description="That address names no provider Bridgekeep knows.">
        <EmptyState
          icon={Compass}
          title="Pick a provider from the list"
          action={
            <a className="button primary" href="#/connections">
              Go to Connections
            </a>
          }
        >
          Every provider Bridgekeep supports is listed under “Add a connection”.
        </EmptyState>
      </Page>
    )
  }
  return (
    <Page title={`Connect ${provider.label}`} description={provider.description}>
      <ConnectionForm
        // A new provider is a new form: nothing typed for one carries over to another.
        key={provider.id}
        provider={provider}
        initial={initialCreateState(provider)}
        editing={false}
        submitLabel="Save connection"
        cancelTo="/connections"
        onSubmit={async (submission) => {
          const detail = await create.mutateAsync({ provider: provider.id, ...submission })
          notify({ tone: 'success', message: `“${detail.name}” was saved.` })
          void navigate(`/connections/${detail.id}`)
        }}
      />
    </Page>
  )
}
