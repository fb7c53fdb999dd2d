import { Play, RotateCw, Square } from 'lucide-react'
import type { ReactNode } from 'react'
import { useKnownRunners, useRunnerAction, useRunnerStatus } from '../../api/runner'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Page } from '../../components/Page'
import { Spinner } from '../../components/Spinner'
import { useToast } from '../../components/Toast'
import { FleetPanel } from './FleetPanel'
import { LogPanel } from './LogPanel'
import { IdlePanel } from './IdlePanel'
import { MetricsPanel } from './MetricsPanel'
import { StatusPanel } from './StatusPanel'

export function RunnerPage() {
  const status = useRunnerStatus()
  const runners = useKnownRunners()
  const state = status.data?.state
  const running = state !== undefined && state !== 'stopped' && state !== 'failed'
  return (
    <Page
      title="Runner"
      description="The supervised process that verifies connections and issues short-lived credentials, over mutual TLS."
      actions={
        <>
          <ActionButton
            action="start"
            label="Start runner"
            icon={<Play aria-hidden="true" />}
            disabled={running || !status.data}
            primary={!running}
          />
          <ActionButton
            action="restart"
            label="Restart runner"
            icon={<RotateCw aria-hidden="true" />}
            disabled={!running}
          />
          <ActionButton
            action="stop"
            label="Stop runner"
            icon={<Square aria-hidden="true" />}
            disabled={!running}
          />
        </>
      }
    >
      {status.isError && (
        <ErrorNotice error={status.error} title="The runner's status could not be loaded" />
      )}
      {status.isPending && <Spinner label="Loading the runner" />}
      {status.data && (
        <>
          <StatusPanel status={status.data} />
          {running ? (
            <MetricsPanel state={status.data.state} />
          ) : (
            <IdlePanel state={status.data.state} />
          )}
          {runners.isError && (
            <ErrorNotice error={runners.error} title="The runners could not be loaded" />
          )}
          <FleetPanel runners={runners.data ?? []} />
          <LogPanel runners={runners.data ?? []} />
        </>
      )}
    </Page>
  )
}

function ActionButton({
  action,
  label,
  icon,
  disabled,
  primary,
}: {
  action: 'start' | 'stop' | 'restart'
  label: string
  icon: ReactNode
  disabled: boolean
  primary?: boolean
}) {
  const mutation = useRunnerAction(action)
  const notify = useToast()
  return (
    <button
      type="button"
      className={primary ? 'button primary' : 'button'}
      disabled={disabled || mutation.isPending}
      onClick={() =>
        mutation.mutate(undefined, {
          onError: (error) =>
            notify({ tone: 'error', message: `${label} failed: ${error.message}` }),
        })
      }
    >
      {icon}
      {label}
    </button>
  )
}
