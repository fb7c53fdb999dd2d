import { BridgekeepError, isBridgekeepError } from '../../../shared/errors'
import { getProvider, type FieldSpec } from '../../../shared/providers'
import { receivedDestinationProblem } from '../../../shared/providers/received-destinations'
import {
  describeReference,
  readsKubernetes,
  type SecretReference,
} from '../../../shared/secret-reference'
import type { UseServices } from '../../agent/use-connection'
import type { ConnectionDetail } from '../../../shared/connections'
import { secretValueProblem } from '../connections/connection-references'
import type { CallerTerminal } from './command-reference'
import { readKubernetesReference } from './kubernetes-reference'
import { readLocalReference, ReferenceFailure, type LocalReferenceContext } from './local-reference'

/** Where and for whom a connection's secrets are read for one use. */
export interface SecretsUse {
  /**
   * The environment of the use: Kubernetes references are read in it, and it is audited. Absent
   * for a check outside any environment (a role checked before the connection is authorized).
   */
  environment?: { id: string; name: string; slug: string }
  /**
   * The caller's environment variables: what `env:` references read, and the environment a
   * `command:` reference runs with (the CLI's own, or the ones it sent the agent).
   */
  env: LocalReferenceContext['env']
  /** The version to read (an operation keeps the one it resolved); the current one by default. */
  version?: number
  /**
   * Where a `command:` reference runs: on the terminal for the CLI with a person at it (so a
   * password manager can prompt), on the caller's terminal for such a CLI through the agent,
   * detached otherwise (the app, the agent, scripts).
   */
  commandMode?: LocalReferenceContext['commandMode'] | CallerTerminal
  /** Tests shorten a command's time. */
  commandTimeoutMs?: number
}

export interface SecretsForUse {
  version: number
  secrets: Record<string, string>
}

/** secretsForUse bound to the services that have them (HealthService and others take this). */
export type UseSecrets = (connectionId: string, use: SecretsUse) => Promise<SecretsForUse>

/**
 * A connection's secrets for one use: the stored values, and each reference read now (env, file
 * and command here; Kubernetes ones through their connection), validated by the field's own
 * schema and audited as `connection.reference-resolved` (the field and where it points, never
 * the value). The values live only in what this returns, for that use. Every path that uses a
 * connection's secrets (exec, credential-process, credential helpers, verify, the AWS console)
 * reads them here. A lookup that fails fails the use, naming the connection, field, reference
 * and why. A connection received from someone else that would send credentials of this vault or
 * machine to an endpoint its sender chose is refused here, before anything is read
 * (received-destinations.ts).
 */
export async function secretsForUse(
  services: UseServices,
  connectionId: string,
  use: SecretsUse,
): Promise<SecretsForUse> {
  const connection = services.connections.get(connectionId)
  refuseSenderDestinations(connection)
  const { version, secrets, references } = services.connections.storedSecrets(
    connectionId,
    use.version,
  )
  const fields = Object.entries(references)
  if (fields.length === 0) return { version, secrets }
  const provider = getProvider(connection.provider)
  const read: Record<string, string> = {}
  for (const [field, ref] of fields) {
    const spec = provider?.fields.find((f) => f.key === field)
    const label = spec?.label ?? field
    const where = describeReference(ref)
    const onCaller = ref.command !== undefined && typeof use.commandMode === 'object'
    const entry = {
      action: 'connection.reference-resolved' as const,
      target: { type: 'connection' as const, id: connection.id, name: connection.name },
      ...(use.environment
        ? { environment: { id: use.environment.id, name: use.environment.name } }
        : {}),
      // Which way it was read, when not where the use ran: the agent asked its caller.
      detail: `${label} from ${where}${onCaller ? " (run on the caller's terminal)" : ''}`,
    }
    try {
      read[field] = validated(spec, label, await lookUp(services, ref, use))
    } catch (error) {
      const reason = reasonOf(error)
      services.audit.record({ ...entry, outcome: 'failure', detail: `${entry.detail}: ${reason}` })
      const said = error instanceof ReferenceFailure && error.said ? `: ${error.said}` : ''
      throw new BridgekeepError(
        'OPERATION_FAILED',
        `Connection "${connection.name}": ${label} could not be read from ${where}: ${reason}${said}.`,
        remedy(ref),
      )
    }
    services.audit.record(entry)
  }
  return { version, secrets: { ...secrets, ...read } }
}

function refuseSenderDestinations(connection: ConnectionDetail): void {
  if (!connection.share) return
  const problem = receivedDestinationProblem({
    ...connection,
    storedSecrets: connection.secrets.map((secret) => secret.field),
    sharedBy: connection.share.sharedBy,
    useOnly: connection.useOnly === true,
  })
  if (problem) throw new BridgekeepError('FORBIDDEN', problem.message, problem.hint)
}

function lookUp(services: UseServices, ref: SecretReference, use: SecretsUse): Promise<string> {
  if (readsKubernetes(ref)) {
    if (!use.environment)
      throw new ReferenceFailure(
        'a Kubernetes reference is read in an environment, and this check has none (authorize the connection for one)',
      )
    return readKubernetesReference(services, ref, use.environment.slug)
  }
  const mode = use.commandMode
  if (ref.command && typeof mode === 'object') return mode.run(ref.command.argv)
  return readLocalReference(ref, {
    env: use.env,
    ...(typeof mode === 'string' ? { commandMode: mode } : {}),
    ...(use.commandTimeoutMs === undefined ? {} : { commandTimeoutMs: use.commandTimeoutMs }),
  })
}

/** The value as the field takes it (trimmed and normalized like a typed one), or why not. */
function validated(spec: FieldSpec | undefined, label: string, raw: string): string {
  const value = raw.trim()
  // The rules of a typed secret first: a looked-up value gets no more leeway than one typed in.
  const problem = secretValueProblem(label, value)
  if (problem) throw new ReferenceFailure(`the value it gave is not a valid ${label} (${problem})`)
  if (!spec) return value
  const parsed = spec.schema.safeParse(value)
  if (parsed.success) return parsed.data
  const message = parsed.error.issues[0]?.message ?? ''
  // Schema messages never quote a value; should one ever do, it is not repeated.
  const said = message && !message.includes(value) ? ` (${message})` : ''
  throw new ReferenceFailure(`the value it gave is not a valid ${label}${said}`)
}

function reasonOf(error: unknown): string {
  if (error instanceof ReferenceFailure) return error.message
  if (isBridgekeepError(error)) return error.message.replace(/\.$/, '')
  return 'an internal error'
}

function remedy(ref: SecretReference): string {
  if (ref.env)
    return `Set ${ref.env.name} in the environment you run the command from, or edit the connection's reference.`
  if (ref.file)
    return "Check the file (it must be a readable file of at most 64 KiB), or edit the connection's reference."
  if (ref.command)
    return "Run the command yourself to see what it prints, or edit the connection's reference."
  return "Check the Kubernetes connection and the object it names, or edit the connection's reference."
}
