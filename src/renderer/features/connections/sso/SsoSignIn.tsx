import { useState } from 'react'
import { useNavigate } from 'react-router'
import {
  useCompleteSsoSignIn,
  useCreateSsoConnections,
  useStartSsoSignIn,
} from '../../../api/aws-sso'
import { ErrorNotice } from '../../../components/ErrorNotice'
import { useToast } from '../../../components/Toast'
import {
  needsConfirmation,
  useProtectedConfirmation,
} from '../../environments/useProtectedConfirmation'
import { SsoAssignments, type SsoPick } from './SsoAssignments'
import { SsoDeviceCode } from './SsoDeviceCode'
import { SsoSignOut } from './SsoSignOut'
import styles from './SsoSignIn.module.css'

/** Overrides of the two AWS endpoints a sign-in uses (VPC endpoints); empty means AWS's own. */
const endpointInputs = [
  {
    key: 'oidcEndpoint',
    label: 'SSO-OIDC endpoint',
    placeholder: 'https://oidc.<region>.amazonaws.com',
  },
  {
    key: 'portalEndpoint',
    label: 'Access portal endpoint',
    placeholder: 'https://portal.sso.<region>.amazonaws.com',
  },
] as const

interface Props {
  startUrl: string
  region: string
  /** The environments ticked under the form's "Use it in", for the connections created here. */
  environmentIds: ReadonlySet<string>
}

/**
 * "Sign in" for an IAM Identity Center connection: the device flow's code (the page opens in the
 * default browser), then the accounts and permission sets to tick, one connection each. Typing an
 * account and permission set in the form and saving makes one connection without this.
 */
export function SsoSignIn({ startUrl, region, environmentIds }: Props) {
  const start = useStartSsoSignIn()
  const complete = useCompleteSsoSignIn()
  const create = useCreateSsoConnections()
  const navigate = useNavigate()
  const notify = useToast()
  const { run, dialog } = useProtectedConfirmation()
  const [endpoints, setEndpoints] = useState({ oidcEndpoint: '', portalEndpoint: '' })

  const signIn = async () => {
    complete.reset()
    const started = await start.mutateAsync({
      startUrl,
      region,
      ...(endpoints.oidcEndpoint ? { oidcEndpoint: endpoints.oidcEndpoint } : {}),
      ...(endpoints.portalEndpoint ? { portalEndpoint: endpoints.portalEndpoint } : {}),
    })
    // Only https pages: the main process opens them in the default browser, never in the app.
    if (started.verificationUri.startsWith('https://'))
      window.open(
        started.verificationUriComplete ?? started.verificationUri,
        '_blank',
        'noreferrer',
      )
    await complete.mutateAsync(started.signInId)
  }

  const createConnections = async (
    choices: SsoPick[],
    environments: { id: string; name: string }[],
  ) => {
    // Created and authorized in one step; a protected environment is asked about first.
    const created = await run((confirmed) =>
      create.mutateAsync({
        startUrl,
        region,
        choices,
        environmentIds: environments.map((env) => env.id),
        ...(confirmed ? { confirmProtected: true } : {}),
      }),
    )
    if (!created) return
    const count = created.connectionIds.length
    const made = count === 1 ? '1 connection was created' : `${count} connections were created`
    notify({
      tone: 'success',
      message:
        environments.length === 0
          ? `${made}. Authorize them for environments in the matrix.`
          : `${made}, usable in ${environments.map((env) => env.name).join(', ')}.`,
    })
    void navigate('/connections')
  }

  const waiting = start.data && complete.isPending
  const error = start.error ?? complete.error ?? create.error
  return (
    <section className={styles.panel} aria-label="Sign in with IAM Identity Center">
      <h3>Sign in to pick accounts and permission sets</h3>
      {!complete.data && (
        <>
          <details>
            <summary>Endpoints (VPC endpoints)</summary>
            <div className={styles.endpoints}>
              {endpointInputs.map(({ key, label, placeholder }) => (
                <input
                  key={key}
                  className="input mono"
                  aria-label={label}
                  placeholder={placeholder}
                  value={endpoints[key]}
                  onChange={(event) => setEndpoints({ ...endpoints, [key]: event.target.value })}
                />
              ))}
            </div>
          </details>
          <div>
            <button
              type="button"
              className="button"
              disabled={!startUrl || !region || start.isPending || waiting}
              onClick={() => void signIn().catch(() => undefined)}
            >
              {start.isPending ? 'Asking for a code…' : 'Sign in'}
            </button>
          </div>
        </>
      )}
      {waiting && start.data && <SsoDeviceCode {...start.data} />}
      {complete.data && (
        <div className={styles.signedIn}>
          <p className={styles.help}>
            {`Signed in to ${complete.data.startUrl} (${complete.data.region}).`}
          </p>
          <SsoSignOut
            startUrl={complete.data.startUrl}
            region={complete.data.region}
            onSignedOut={() => {
              start.reset()
              complete.reset()
            }}
          />
        </div>
      )}
      {complete.data && (
        <SsoAssignments
          accounts={complete.data.accounts}
          environmentIds={environmentIds}
          creating={create.isPending}
          onCreate={(choices, environments) =>
            void createConnections(choices, environments).catch(() => undefined)
          }
        />
      )}
      {error && !needsConfirmation(error) && (
        <ErrorNotice error={error} title="IAM Identity Center" />
      )}
      {dialog}
    </section>
  )
}
