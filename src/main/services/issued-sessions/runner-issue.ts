import type { CredentialSubject } from './issuer'
import { BridgekeepError } from '../../../shared/errors'
import type {
  IssuedCredentials as RunnerIssued,
  IssuingProvider,
  OperationInput,
} from '../../../shared/operations'
import type { OperationRunner } from '../../runner-host/in-process-runner'
import { remoteRunnerOf, routedRunner, type NamedRunners } from '../../runner-host/named-runner'

/** A runner to issue credentials with; loaded (with its provider's SDK) only when one is needed. */
export type RunnerLoader = () => Promise<OperationRunner>

/**
 * The runner's operations in this process, with only `provider`'s operations (and its SDK) loaded.
 * The CLI works with the app and its runner closed, so it runs the runner's own issue-credentials
 * operation in-process (`inProcessRunner`, as verify does): one implementation of each exchange
 * (endpoint overrides, custom CAs, error classes) and one path into it. With `named`, a
 * connection that names a remote runner is issued by that runner instead (see routedRunner).
 */
export const providerRunner =
  (provider: IssuingProvider, named?: NamedRunners): RunnerLoader =>
  async () => {
    const here = await (
      await import('../../runner-host/in-process-runner')
    ).inProcessRunner(async () => {
      const operations = {
        aws: async () => (await import('../../../runner/providers/aws')).awsOperations,
        gcp: async () => (await import('../../../runner/providers/gcp')).gcpOperations,
        azure: async () => (await import('../../../runner/providers/azure')).azureOperations,
        ecr: async () => (await import('../../../runner/providers/ecr')).ecrOperations,
        gar: async () => (await import('../../../runner/providers/gar')).garOperations,
        's3-state': async () =>
          (await import('../../../runner/providers/s3-state')).s3StateOperations,
        'gcs-state': async () =>
          (await import('../../../runner/providers/gcs-state')).gcsStateOperations,
      }
      return { [provider]: await operations[provider]() }
    })
    return named ? routedRunner(here, named) : here
  }

/** What a runner issued, and the name of the runner that issued it (for the audit entry). */
interface RunnerIssue {
  credentials: RunnerIssued
  runner: string
}

/**
 * Asks the runner's issue-credentials operation for `subject`'s short-lived credentials: the
 * remote runner the connection names, if any (its identity is the one that matters), else this
 * process's. A provider's refusal becomes CREDENTIALS_NOT_ISSUED with its own message and remedy.
 */
export async function issueThroughRunner(
  runner: RunnerLoader,
  subject: Pick<CredentialSubject, 'config' | 'secrets'> & {
    connection: Pick<CredentialSubject['connection'], 'id' | 'name' | 'provider' | 'authMode'>
  },
  options: { durationSeconds?: number; mfaCode?: string } = {},
): Promise<RunnerIssue> {
  const [loaded, { issueResultSchema }] = await Promise.all([
    runner(),
    // With the runner: the operations' schemas are built only when credentials are issued.
    import('../../../shared/operations'),
  ])
  const remote = remoteRunnerOf({ authMode: subject.connection.authMode, config: subject.config })
  const answer = await loaded.requestOn(remote, {
    type: 'issue-credentials',
    connectionId: subject.connection.id,
    input: {
      // The runner validates both against the catalog, as it does every operation's input.
      provider: subject.connection.provider as OperationInput['provider'],
      authMode: subject.connection.authMode as OperationInput['authMode'],
      config: subject.config,
      secrets: subject.secrets,
      options: {
        ...(options.durationSeconds ? { durationSeconds: options.durationSeconds } : {}),
        ...(options.mfaCode ? { mfaCode: options.mfaCode } : {}),
      },
    },
  })
  const result = issueResultSchema.parse(answer.result)
  if (result.status === 'failing')
    throw new BridgekeepError(
      'CREDENTIALS_NOT_ISSUED',
      `Connection ${subject.connection.name}: ${result.error.message}`,
      result.error.remedy,
    )
  return { credentials: result.credentials, runner: answer.runner }
}

/** The runner answered with another kind of credentials than the issuer asked for. */
export function unexpectedKind(kind: string, wanted: string): BridgekeepError {
  return new BridgekeepError('INTERNAL', `The runner answered with ${kind} instead of ${wanted}.`)
}
