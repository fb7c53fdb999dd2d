import type { z } from 'zod'
import { BridgekeepError } from '../../../shared/errors'
import type { AwsRoleCheck, CheckAwsRoleInput } from '../../../shared/aws-role-check'
import { checkAwsRoleInputSchema } from '../../../shared/aws-role-check'
import {
  stackReadResultSchema,
  verifyResultSchema,
  type OperationInput,
} from '../../../shared/operations'
import { validateConnectionValues } from '../../../shared/providers'
import { invalid, parseInput } from '../../../shared/validation'
import type { Logger } from '../../log'
import type { RunnerService } from '../../runner-host/runner-service'
import type { ConnectionsService } from '../connections/connections-service'
import { runnerOf, type HealthService } from '../health/health-service'
import type { UseSecrets } from '../references/secrets-for-use'
import type { Operation } from '../../../shared/runner-protocol/protocol'

type CheckAwsRoleRequest = z.output<typeof checkAwsRoleInputSchema>

/** The runner's log names the connection an operation is for; a new one has no id yet. */
const NEW_CONNECTION = 'new-connection'

export interface AwsRoleCheckOptions {
  connections: Pick<ConnectionsService, 'get' | 'storedSecrets' | 'update'>
  /** The app's runner (the connection's, started on demand), or the CLI's in-process one. */
  runner: Pick<RunnerService, 'requestOn' | 'ensureReady'>
  log: Logger
  /** The connection's secrets for the check, its references read like for any use. */
  useSecrets: UseSecrets
  /** Where references are read: the environment a verify would use. */
  environments: Pick<HealthService, 'environmentFor'>
}

/**
 * The last step of a cross-account setup: the role's ARN, pasted or read from its stack's
 * outputs (read-stack, with the identity that will assume the role), is assumed through the
 * runner with the connection's external ID (a verify with that role) and only then saved as the
 * connection's role, an ordinary audited update. A failed check saves nothing unless the caller
 * says save anyway; either way it says why (the trust policy, the external ID, the stack's state).
 */
export class AwsRoleCheckService {
  constructor(private readonly options: AwsRoleCheckOptions) {}

  /** On the connection's runner (cross-account: the one its Runner field names). */
  private async request(
    connection: { authMode: string; config: Record<string, string> },
    op: Operation,
  ): Promise<unknown> {
    const name = runnerOf(connection)
    await this.options.runner.ensureReady(name)
    return (await this.options.runner.requestOn(name, op)).result
  }

  /** Where references are read: the environment a verify would use, if it has one yet. */
  private environmentOf(connection: { id: string; name: string }) {
    try {
      return this.options.environments.environmentFor(connection.id, connection.name, undefined)
    } catch {
      // A role is checked before the connection is authorized anywhere, too.
      return undefined
    }
  }

  async check(raw: CheckAwsRoleInput): Promise<AwsRoleCheck> {
    const request = parseInput(checkAwsRoleInputSchema, raw)
    const connection = this.options.connections.get(request.connectionId)
    if (connection.provider !== 'aws' || connection.authMode !== 'cross-account')
      throw new BridgekeepError(
        'NOT_SUPPORTED',
        `"${connection.name}" is not a cross-account AWS connection: it has no role to assume.`,
        'Name a connection whose authentication is "Cross-account role".',
      )
    const environment = this.environmentOf(connection)
    const { secrets } = await this.options.useSecrets(connection.id, {
      ...(environment ? { environment } : {}),
      env: process.env,
    })
    const checked = await this.assess({ ...connection, secrets }, request)
    if (checked.saved && connection.config.role_arn !== checked.roleArn)
      this.options.connections.update({ id: connection.id, values: { role_arn: checked.roleArn! } })
    return checked
  }

  /**
   * The same check for a cross-account connection about to be added (`bridgekeep add aws
   * --stack-name`): its form's values stand for the stored connection, and `saved` says the
   * caller may add it with the role ARN found. Invalid values are refused before AWS is asked.
   */
  async checkNew(
    values: Readonly<Record<string, string>>,
    source: { stackName: string } | { roleArn: string },
    saveAnyway: boolean,
  ): Promise<AwsRoleCheck> {
    const { role_arn: _, ...rest } = values
    const form = validateConnectionValues('aws', 'cross-account', rest, {
      later: ['role_arn'],
    })
    if (!form.ok) throw invalid(form.issues)
    const request = parseInput(checkAwsRoleInputSchema, {
      connectionId: NEW_CONNECTION,
      ...source,
      ...(saveAnyway ? { saveAnyway } : {}),
    })
    return this.assess({ id: NEW_CONNECTION, config: form.config, secrets: form.secrets }, request)
  }

  /** Reads the role (when a stack is named) and assumes it; `saved` is whether it may be. */
  private async assess(
    subject: { id: string; config: Record<string, string>; secrets: Record<string, string> },
    request: CheckAwsRoleRequest,
  ): Promise<AwsRoleCheck> {
    const connection = { authMode: 'cross-account', config: subject.config }
    const input = (config: Record<string, string>): OperationInput => ({
      provider: 'aws',
      authMode: 'cross-account',
      config,
      secrets: subject.secrets,
    })
    let stackStatus: string | undefined
    let roleArn = request.roleArn
    if (request.stackName !== undefined) {
      const read = stackReadResultSchema.safeParse(
        await this.request(connection, {
          type: 'read-stack',
          connectionId: subject.id,
          input: input(subject.config),
          stackName: request.stackName,
        }),
      )
      if (!read.success) throw unexpected()
      if (read.data.status === 'failing') {
        // Nothing to save, not even anyway: there is no ARN.
        const { message, remedy } = read.data.error
        return { saved: false, problem: { message, remedy } }
      }
      stackStatus = read.data.stackStatus
      roleArn = read.data.roleArn
    }
    const checked = verifyResultSchema.safeParse(
      await this.request(connection, {
        type: 'verify',
        connectionId: subject.id,
        input: input({ ...subject.config, role_arn: roleArn! }),
      }),
    )
    if (!checked.success) throw unexpected()
    const result = checked.data
    const passed = result.status === 'healthy'
    const save = passed || request.saveAnyway === true
    this.options.log.info('aws.role-checked', { provider: 'aws', passed, saved: save })
    return {
      roleArn: roleArn!,
      ...(stackStatus ? { stackStatus } : {}),
      ...(passed && result.identity ? { assumedArn: result.identity.label } : {}),
      saved: save,
      ...(result.error
        ? { problem: { message: result.error.message, remedy: result.error.remedy } }
        : {}),
      ...(result.warnings?.length ? { warnings: result.warnings } : {}),
    }
  }
}

function unexpected(): BridgekeepError {
  return new BridgekeepError(
    'RUNNER_REFUSED',
    'The runner answered the role check with something else than its result.',
    'Update the runner to the version of the app, then try again.',
  )
}
