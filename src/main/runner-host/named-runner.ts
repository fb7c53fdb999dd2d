import { BridgekeepError } from '../../shared/errors'
import { RUNNER_FIELD } from '../../shared/providers/runner-field'
import { LOCAL_RUNNER_NAME } from '../../shared/runner-protocol/status'
import type { Vault } from '../services/vault/vault'
import type { OperationRunner } from './in-process-runner'
import { RunnerRepository } from './runner-repository'
import type { RunnerService } from './runner-service'

/** The app's runners, reached through its control endpoint (RunnerService). */
export type NamedRunners = Pick<RunnerService, 'requestOn' | 'ensureReady'>

/**
 * The remote runner a connection's operations must go to, or undefined when they are the local
 * runner's (no Runner field, or `local`). Only runner-delegated and cross-account connections
 * have the field: there the runner's own identity and network are what the connection uses.
 */
export function remoteRunnerOf(connection: {
  authMode: string
  config: Record<string, string>
}): string | undefined {
  if (connection.authMode !== 'runner-delegated' && connection.authMode !== 'cross-account')
    return undefined
  const name = connection.config[RUNNER_FIELD]
  return name && name !== LOCAL_RUNNER_NAME ? name : undefined
}

/**
 * A named runner did not connect in time. `appHere` says whether this process hosts the control
 * endpoint (the app): if it does, the runner must be started; if not (the CLI, `bridgekeep
 * agent`), the app must be open too, since only it can reach the runner.
 */
export function runnerNotConnected(
  name: string,
  lastSeen: string | null | undefined,
  appHere: boolean,
): BridgekeepError {
  const start = `start runner ${name} with its credentials (bridgekeep runner start --credentials FILE, or BRIDGEKEEP_RUNNER_CREDENTIALS)`
  return new BridgekeepError(
    'RUNNER_UNAVAILABLE',
    `Runner ${name} is not connected (${lastSeen ? `last seen ${lastSeen}` : 'never connected'}).`,
    appHere
      ? `${start.charAt(0).toUpperCase()}${start.slice(1)} while the app is open, or choose another runner for the connection.`
      : `Its operations go through the Bridgekeep app, which hosts the runners' control endpoint: open the app (its agent answers this command; leave BRIDGEKEEP_AGENT unset and stop any bridgekeep agent), ${start}, then run the command again.`,
  )
}

/** A connection names a runner the vault does not have (deleted, or never created). */
export function runnerUnknown(name: string): BridgekeepError {
  return new BridgekeepError(
    'RUNNER_UNAVAILABLE',
    `This vault has no runner named ${name} (it was deleted, never created here, or the connection came from another vault in a share).`,
    `Edit the connection and choose another runner (empty is the local one), or create it: bridgekeep runner credentials --name ${name}.`,
  )
}

/**
 * The runner for the operations a CLI command asks for (verify, issuing credentials), wherever it
 * runs (the app's agent, `bridgekeep agent`, or the command's own process): an operation for a
 * remote runner goes to that runner through `named` (the app's control endpoint: it waits for the
 * runner, or says it is not connected and what to do), never to this machine's identity; the rest
 * runs in `here`, which stands in for the local runner.
 */
export function routedRunner(here: OperationRunner, named: NamedRunners): OperationRunner {
  const remote = (name: string | undefined) =>
    name !== undefined && name !== LOCAL_RUNNER_NAME ? name : undefined
  return {
    request: (op, options) => here.request(op, options),
    ensureReady: (name) => (remote(name) ? named.ensureReady(name) : here.ensureReady(name)),
    requestOn: (name, op, options) =>
      remote(name) ? named.requestOn(name, op, options) : here.requestOn(name, op, options),
  }
}

/**
 * The app's runners as seen from a command that opened the vault itself (no agent answered, or
 * BRIDGEKEEP_AGENT=off): none can be reached from this process, so an operation for one fails at
 * once, saying when that runner was last seen and that the app must be open.
 */
export function unreachableRunners(vault: Vault): NamedRunners {
  const refuse = (name = ''): never => {
    const row = new RunnerRepository(vault.database()).runnerByName(name)
    throw row ? runnerNotConnected(name, row.last_contact_at, false) : runnerUnknown(name)
  }
  return {
    ensureReady: async (name) => refuse(name),
    requestOn: async (name) => refuse(name),
  }
}
