import { Compass } from 'lucide-react'
import { useState } from 'react'
import { useNavigate, useParams } from 'react-router'
import { useCreateConnection } from '../../../api/connections'
import { EmptyState } from '../../../components/EmptyState'
import { Page } from '../../../components/Page'
import { useToast } from '../../../components/Toast'
import { getProvider } from '../catalog'
import { useProtectedConfirmation } from '../../environments/useProtectedConfirmation'
import { ConnectionForm } from './ConnectionForm'
import { EnvironmentChoice } from './EnvironmentChoice'
import { initialCreateState } from './useConnectionForm'

/** #/connections/new/:providerId — the form for a new connection of one provider. */
export function NewConnectionPage() {
  const { providerId = '' } = useParams()
  const provider = getProvider(providerId)
  const create = useCreateConnection()
  const navigate = useNavigate()
  const notify = useToast()
  const [environmentIds, setEnvironmentIds] = useState<ReadonlySet<string>>(() => new Set())
  const { run, dialog } = useProtectedConfirmation()

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
        environmentIds={environmentIds}
        onSubmit={async (submission) => {
          // Created and authorized in one step; a protected environment is asked about first.
          const detail = await run((confirmed) =>
            create.mutateAsync({
              provider: provider.id,
              ...submission,
              environmentIds: [...environmentIds],
              ...(confirmed ? { confirmProtected: true } : {}),
            }),
          )
          if (!detail) return
          notify({ tone: 'success', message: `“${detail.name}” was saved.` })
          void navigate(`/connections/${detail.id}`, { state: { justCreated: true } })
        }}
      >
        <EnvironmentChoice selected={environmentIds} onChange={setEnvironmentIds} />
      </ConnectionForm>
      {dialog}
    </Page>
  )
}
