import { SquareTerminal } from 'lucide-react'
import { useState } from 'react'
import type {
  CommandLineToolStatus,
  HostedAgentStatus,
} from '../../../shared/ipc/features/command-line'
import { useCommandLineStatus, useInstallCommandLineTool } from '../../api/command-line'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { ErrorNotice } from '../../components/ErrorNotice'
import styles from './SettingsPage.module.css'

/** Settings → Command line: the agent that serves `bridgekeep`, and the command on PATH. */
export function CommandLinePanel() {
  const status = useCommandLineStatus()
  const install = useInstallCommandLineTool()
  const [confirming, setConfirming] = useState(false)
  const tool = status.data?.tool
  // On Windows the note says how to change PATH by hand: there is nothing to install.
  const installable =
    tool?.state === 'conflict' || (tool?.state === 'not-installed' && tool.note === undefined)
  return (
    <section className={styles.panel} aria-labelledby="command-line-title">
      <h2 id="command-line-title" className={styles.panelTitle}>
        Command line
      </h2>
      {status.isError ? (
        <ErrorNotice error={status.error} title="The command line's state could not be read" />
      ) : (
        <dl className={styles.facts}>
          <dt>Agent</dt>
          <dd data-testid="agent-status">
            {status.data ? <AgentState agent={status.data.agent} /> : '…'}
          </dd>
          <dt>bridgekeep command</dt>
          <dd data-testid="tool-status">{tool ? <ToolState tool={tool} /> : '…'}</dd>
        </dl>
      )}
      {tool && installable && (
        <div className={styles.actions}>
          <button
            type="button"
            className="button"
            disabled={install.isPending}
            onClick={() =>
              tool.state === 'conflict' ? setConfirming(true) : install.mutate({ replace: false })
            }
          >
            <SquareTerminal aria-hidden="true" />
            {tool.state === 'conflict' ? 'Replace and install…' : 'Install command-line tool'}
          </button>
        </div>
      )}
      {install.isError && !confirming && (
        <ErrorNotice error={install.error} title="The command-line tool was not installed" />
      )}
      {tool?.state === 'conflict' && (
        <ConfirmDialog
          open={confirming}
          onOpenChange={setConfirming}
          title={`Replace ${tool.link}?`}
          description={`It is ${tool.existing}, not Bridgekeep's command-line tool. It will be replaced by a link to ${tool.executable}.`}
          confirmLabel="Replace"
          tone="danger"
          onConfirm={() => install.mutateAsync({ replace: true })}
        />
      )}
    </section>
  )
}

function AgentState({ agent }: { agent: HostedAgentStatus }) {
  switch (agent.state) {
    case 'serving':
      return (
        <>
          Serving the bridgekeep command on <span className={styles.mono}>{agent.socket}</span>.
          While the vault is locked it answers “Bridgekeep is locked”.
        </>
      )
    case 'elsewhere':
      return (
        <>
          Another agent (bridgekeep agent) serves{' '}
          <span className={styles.mono}>{agent.socket}</span>; the app takes over when it stops.
        </>
      )
    case 'off':
      return (
        <>
          Not serving{agent.problem ? `: ${agent.problem}` : '.'} The bridgekeep command opens the
          vault itself meanwhile.
        </>
      )
  }
}

function ToolState({ tool }: { tool: CommandLineToolStatus }) {
  switch (tool.state) {
    case 'installed':
      return (
        <>
          Installed: <span className={styles.mono}>{tool.link}</span> leads to{' '}
          <span className={styles.mono}>{tool.executable}</span>.
          {tool.note && <span className={styles.note}>{tool.note}</span>}
        </>
      )
    case 'not-installed':
      return (
        <>
          Not installed. {tool.note ?? <>It will be linked as </>}
          {!tool.note && <span className={styles.mono}>{tool.link}</span>}
          {!tool.note && '.'}
        </>
      )
    case 'conflict':
      return (
        <>
          Not installed: <span className={styles.mono}>{tool.link}</span> is already {tool.existing}
          , which Bridgekeep does not replace without asking.
        </>
      )
    case 'unavailable':
      return (
        <>
          Not available. {tool.reason} <span className={styles.note}>{tool.hint}</span>
        </>
      )
  }
}
