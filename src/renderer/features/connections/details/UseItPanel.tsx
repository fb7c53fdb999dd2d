import { Copy, SquareTerminal } from 'lucide-react'
import { useId, useState } from 'react'
import { Link } from 'react-router'
import { useCommandLineStatus, useInstallCommandLineTool } from '../../../api/command-line'
import type { ConnectionDetail } from '../../../api/connections'
import { useAuthorizationsFor, useEnvironments } from '../../../api/environments'
import { ErrorNotice } from '../../../components/ErrorNotice'
import { useToast } from '../../../components/Toast'
import { copyText } from '../../../lib/copyText'
import { AwsProfile } from './AwsProfile'
import styles from './UseItPanel.module.css'
import { snippetsFor } from './useItSnippets'

/**
 * "Use it": how to use this connection from a terminal, for each environment it is authorized
 * for: `bridgekeep exec`, the connection:// reference, and for AWS a ~/.aws/config profile. Says
 * how to install the `bridgekeep` command when it is not installed.
 */
export function UseItPanel({ detail }: { detail: ConnectionDetail }) {
  const environments = useEnvironments()
  const authorizations = useAuthorizationsFor(detail.id)
  const authorized = (environments.data ?? []).filter((env) =>
    authorizations.data?.environmentIds.includes(env.id),
  )
  const [chosen, setChosen] = useState<string | null>(null)
  const environment = authorized.find((env) => env.id === chosen) ?? authorized[0]
  const selectId = useId()

  return (
    <section className={styles.panel} aria-labelledby="use-it-title" data-testid="use-it">
      <h2 id="use-it-title" className={styles.panelTitle}>
        Use it
      </h2>
      {environments.isError || authorizations.isError ? (
        <ErrorNotice
          error={environments.error ?? authorizations.error}
          title="Where it may be used could not be loaded"
        />
      ) : environments.isPending || authorizations.isPending ? (
        <p className={styles.intro}>Loading…</p>
      ) : !environment ? (
        <div className={styles.empty}>
          <p className={styles.intro}>
            <strong>Authorize it for an environment to use it.</strong> Tools, the CLI and the
            runner use a connection only in the environments it is authorized for.
          </p>
          <button type="button" className="button" onClick={focusAuthorizations}>
            Choose environments
          </button>
        </div>
      ) : (
        <>
          <CommandLineNote />
          {authorized.length > 1 && (
            <div className={styles.envPicker}>
              <label htmlFor={selectId}>Environment</label>
              <select
                id={selectId}
                className="input"
                value={environment.id}
                onChange={(event) => setChosen(event.target.value)}
              >
                {authorized.map((env) => (
                  <option key={env.id} value={env.id}>
                    {env.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <ul className={styles.snippets}>
            {snippetsFor(detail, environment.slug).map((snippet) => (
              <li key={snippet.id}>
                <SnippetBlock label={snippet.label} text={snippet.text} help={snippet.help} />
              </li>
            ))}
          </ul>
          {detail.provider === 'aws' && detail.authMode !== 'runner-delegated' && (
            <AwsProfile detail={detail} environment={environment} />
          )}
          {detail.provider === 'kubernetes' && (
            <p className={styles.note}>
              Bridgekeep has no kubectl credential plugin yet: run kubectl through{' '}
              <code>bridgekeep exec</code>, which hands it a private KUBECONFIG for the command’s
              lifetime.
            </p>
          )}
        </>
      )}
    </section>
  )
}

/** A copyable snippet: its label, the text in monospace, and a Copy button named after it. */
export function SnippetBlock({
  label,
  text,
  help,
}: {
  label: string
  text: string
  help?: string
}) {
  const notify = useToast()
  const helpId = useId()
  return (
    <div className={styles.snippet} data-testid="snippet">
      <div className={styles.snippetHeader}>
        <span className={styles.snippetLabel}>{label}</span>
        <button
          type="button"
          className="button small"
          aria-label={`Copy ${label.toLowerCase()}`}
          onClick={() =>
            copyText(text).then(
              () => notify({ tone: 'success', message: `${label} copied.` }),
              () =>
                notify({
                  tone: 'error',
                  message: 'The clipboard refused it: select the text and copy it.',
                }),
            )
          }
        >
          <Copy aria-hidden="true" />
          Copy
        </button>
      </div>
      <pre className={styles.code} aria-describedby={help ? helpId : undefined}>
        <code>{text}</code>
      </pre>
      {help && (
        <p id={helpId} className={styles.help}>
          {help}
        </p>
      )}
    </div>
  )
}

/** Whether `bridgekeep` is there to run the snippets; how to get it when it is not. */
function CommandLineNote() {
  const status = useCommandLineStatus()
  const install = useInstallCommandLineTool()
  const tool = status.data?.tool
  if (!tool || tool.state === 'installed') {
    if (tool?.state === 'installed' && !tool.onPath)
      return (
        <p className={styles.note} role="note">
          The <code>bridgekeep</code> command is installed at {tool.link}, which is not on your
          PATH. {tool.note}
        </p>
      )
    return null
  }
  return (
    <div className={styles.note} role="note" data-testid="use-it-install">
      {tool.state === 'unavailable' ? (
        <p>
          The <code>bridgekeep</code> command is not installed here. {tool.reason} {tool.hint}
        </p>
      ) : (
        <>
          <p>
            The <code>bridgekeep</code> command is not installed yet.{' '}
            {tool.state === 'conflict'
              ? `Something else is at ${tool.link}: see Settings → Command line.`
              : (tool.note ?? `Installing links it at ${tool.link}.`)}
          </p>
          {tool.state === 'not-installed' && tool.note === undefined && (
            <button
              type="button"
              className="button small"
              disabled={install.isPending}
              onClick={() => install.mutate({ replace: false })}
            >
              <SquareTerminal aria-hidden="true" />
              Install command-line tool
            </button>
          )}
          {install.isError && (
            <ErrorNotice error={install.error} title="The command-line tool was not installed" />
          )}
        </>
      )}
      <Link to="/settings">Settings → Command line</Link>
    </div>
  )
}

/** The empty state's way on: the "Authorized for" checkboxes further down this page. */
function focusAuthorizations() {
  const panel = document.getElementById('authorized-title')?.closest('section')
  panel?.scrollIntoView({ block: 'center' })
  panel?.querySelector<HTMLInputElement>('input[type="checkbox"]')?.focus()
}
