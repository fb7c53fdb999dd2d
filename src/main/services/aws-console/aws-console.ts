import { BridgekeepError } from '../../../shared/errors'
import type { AwsConsoleSignIn, OpenAwsConsoleInput } from '../../../shared/aws-console'
import { consoleSignInResultSchema, type OperationInput } from '../../../shared/operations'
import type { RunnerService } from '../../runner-host/runner-service'
import type { ConnectionsService } from '../connections/connections-service'
import { runnerOf, type HealthService } from '../health/health-service'
import type { ResolutionService } from '../resolution/resolution-service'
import type { UseSecrets } from '../references/secrets-for-use'

export interface AwsConsoleOptions {
  connections: Pick<ConnectionsService, 'get'>
  resolution: Pick<ResolutionService, 'useAudited'>
  /** The app's runner (the connection's, started on demand), or the CLI's in-process one. */
  runner: Pick<RunnerService, 'requestOn' | 'ensureReady'>
  /** The environment a use names when none is given: the one a verify would use. */
  environments: Pick<HealthService, 'environmentFor'>
  /** The connection's secrets for the sign-in, its references read like for any use. */
  useSecrets: UseSecrets
}

/**
 * "Open console": a sign-in URL for the AWS console from the connection's temporary credentials
 * (the runner's console-sign-in). It is a use of the connection like exec: authorized by the
 * environment matrix, counted, and audited as one `aws-console` entry naming who the console
 * acts as and until when, never the URL or its token, which sign whoever holds them in.
 */
export class AwsConsoleService {
  constructor(private readonly options: AwsConsoleOptions) {}

  async signIn(input: OpenAwsConsoleInput): Promise<AwsConsoleSignIn> {
    const { connections, resolution, runner } = this.options
    const connection = connections.get(input.connectionId)
    if (connection.provider !== 'aws')
      throw new BridgekeepError(
        'NOT_SUPPORTED',
        `"${connection.name}" is not an AWS connection: only AWS connections open the AWS console.`,
        'Open the console from an AWS connection.',
      )
    const environment =
      input.environment ??
      this.options.environments.environmentFor(connection.id, connection.name, undefined).slug
    return resolution.useAudited(
      {
        provider: 'aws',
        environment,
        name: connection.slug,
        connectionId: connection.id,
        operation: 'aws-console',
        refusedDetail: 'AWS console sign-in refused',
      },
      async (resolved) => {
        const { secrets } = await this.options.useSecrets(connection.id, {
          environment: resolved.environment,
          env: process.env,
        })
        const runnerName = runnerOf(connection)
        await runner.ensureReady(runnerName)
        const { result } = await runner.requestOn(runnerName, {
          type: 'console-sign-in',
          connectionId: connection.id,
          input: {
            provider: 'aws',
            authMode: connection.authMode as OperationInput['authMode'],
            config: connection.config,
            secrets,
          },
        })
        const parsed = consoleSignInResultSchema.safeParse(result)
        if (!parsed.success)
          throw new BridgekeepError(
            'RUNNER_REFUSED',
            'The runner answered the console sign-in with something else than a sign-in.',
            'Update the runner to the version of the app, then try again.',
          )
        const answer = parsed.data
        if (answer.status === 'failing')
          throw new BridgekeepError(
            'OPERATION_FAILED',
            `${connection.name}: ${answer.error.message}`,
            answer.error.remedy,
          )
        return {
          value: {
            url: answer.url,
            expiresAt: answer.expiresAt,
            principal: answer.principal,
            environmentName: resolved.environment.name,
          },
          detail: `AWS console as ${answer.principal} until ${answer.expiresAt}`,
        }
      },
    )
  }
}
