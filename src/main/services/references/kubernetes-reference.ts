import { BridgekeepError, isBridgekeepError } from '../../../shared/errors'
import type { OperationInput } from '../../../shared/operations'
import { getProvider } from '../../../shared/providers'
import { describeReference, type SecretReference } from '../../../shared/secret-reference'
import type { UseServices } from '../../agent/use-connection'
import type { OperationRunner } from '../../runner-host/in-process-runner'
import { remoteRunnerOf, routedRunner, unreachableRunners } from '../../runner-host/named-runner'

/**
 * The value a Kubernetes reference (secretKeyRef, configMapKeyRef, helmRef) points at, for one
 * use in `environmentSlug`. The Kubernetes connection it names is resolved and authorized for
 * that environment like any use (ResolutionService.useAudited: counted, and audited as one
 * `reference.read` entry naming the reference, never the value), and the read is the runner's
 * read-reference operation with that connection's credentials: in this process for the local
 * runner, as verify and issuing credentials are, or on the remote runner the connection names,
 * through the app. Every failure names the reference and says why.
 */
export async function readKubernetesReference(
  services: UseServices,
  ref: SecretReference,
  environmentSlug: string,
): Promise<string> {
  const text = describeReference(ref)
  const source = ref.secretKeyRef ?? ref.configMapKeyRef ?? ref.helmRef
  if (!source)
    throw new BridgekeepError(
      'VALIDATION',
      `Reference ${text} is not read through a Kubernetes connection.`,
      'Only secret:, configmap: and helm: references name a Kubernetes connection.',
    )
  try {
    return await services.resolution.useAudited(
      {
        provider: 'kubernetes',
        environment: environmentSlug,
        name: source.connection,
        operation: 'reference.read',
        refusedDetail: `Reference ${text} not read`,
      },
      async (resolved) => {
        const connection = services.connections.get(resolved.connection.id)
        const { secrets, references } = services.connections.storedSecrets(resolved.connection.id)
        refuseReferencedCredentials(connection.name, references)
        const runner = await kubernetesRunner(services)
        const [{ result }, { referenceReadResultSchema }] = await Promise.all([
          runner.requestOn(remoteRunnerOf(connection), {
            type: 'read-reference',
            connectionId: connection.id,
            input: {
              provider: 'kubernetes',
              authMode: connection.authMode as OperationInput['authMode'],
              config: connection.config,
              secrets,
            },
            reference: ref,
          }),
          import('../../../shared/operations'),
        ])
        const answer = referenceReadResultSchema.safeParse(result)
        if (!answer.success)
          throw new BridgekeepError(
            'RUNNER_REFUSED',
            'The runner answered the reference read with something else than a value.',
            'Update the runner to the version of the app, then try again.',
          )
        if (answer.data.status === 'failing')
          throw new BridgekeepError(
            'OPERATION_FAILED',
            answer.data.error.message,
            answer.data.error.remedy,
          )
        return { value: answer.data.value, detail: `Read ${text}` }
      },
    )
  } catch (error) {
    if (!isBridgekeepError(error)) throw error
    throw new BridgekeepError(
      error.code,
      `Reference ${text}: ${error.message}`,
      error.hint,
      error.issues,
    )
  }
}

/**
 * The Kubernetes connection's own credentials must be values: read without them, the request
 * would go to the API server unauthenticated (and a reference through the connection itself
 * would loop). Refused, naming the field and where it points.
 */
function refuseReferencedCredentials(
  name: string,
  references: Readonly<Record<string, SecretReference>>,
): void {
  const [field, ref] = Object.entries(references)[0] ?? []
  if (!field || !ref) return
  const label = getProvider('kubernetes')?.fields.find((f) => f.key === field)?.label ?? field
  throw new BridgekeepError(
    'NOT_SUPPORTED',
    `Connection ${name}: ${label} is itself a reference (${describeReference(ref)}); a Kubernetes connection that references are read through must hold its credentials.`,
    `Give ${name} its ${label} as a value (bridgekeep edit), or read the reference through another Kubernetes connection.`,
  )
}

/**
 * The runner for the read: the Kubernetes operations in this process (the local runner's part),
 * or the app's runner the connection names (unreachable from a command without the app).
 */
async function kubernetesRunner(services: UseServices): Promise<OperationRunner> {
  const { inProcessRunner } = await import('../../runner-host/in-process-runner')
  const here = await inProcessRunner(async () => ({
    kubernetes: (await import('../../../runner/providers/kubernetes')).kubernetesOperations,
  }))
  return routedRunner(here, services.runner ?? unreachableRunners(services.vault))
}
