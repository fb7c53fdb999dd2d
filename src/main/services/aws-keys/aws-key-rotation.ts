import { BridgekeepError } from '../../../shared/errors'
import type { AwsKeyRotation } from '../../../shared/aws-key-rotation'
import {
  keyRotationResultSchema,
  verifyResultSchema,
  type KeyRotationStep,
  type OperationInput,
} from '../../../shared/operations'
import { LOCAL_RUNNER_NAME } from '../../../shared/runner-protocol/status'
import type { Logger } from '../../log'
import type { RunnerService } from '../../runner-host/runner-service'
import type { ConnectionsService } from '../connections/connections-service'

export interface AwsKeyRotationOptions {
  connections: Pick<ConnectionsService, 'get' | 'storedSecrets' | 'rotate'>
  /** Inline keys need no particular runner: the app's local one, or the CLI's in-process one. */
  runner: Pick<RunnerService, 'request' | 'ensureReady'>
  log: Logger
  /** How long the new key may take to work (IAM is eventually consistent: seconds, usually). */
  verifyWithinMs?: number
  retryEveryMs?: number
}

const VERIFY_WITHIN_MS = 60_000
const RETRY_EVERY_MS = 2_000
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The steps to do by hand when Bridgekeep may not (or cannot) rotate the key itself, for the IAM
 * user the key belongs to when Bridgekeep could tell it (see keyOwner), a placeholder otherwise.
 */
export function manualKeySteps(oldAccessKeyId: string, userName?: string): string {
  const user = userName ?? '<user>'
  return [
    `Rotate it by hand: in the IAM console (https://console.aws.amazon.com/iam/home#/users/details/${encodeURIComponent(user)}?section=security_credentials) or with`,
    `aws iam create-access-key --user-name ${user}`,
    'then paste the new key into Rotate, and once it verifies:',
    `aws iam update-access-key --user-name ${user} --access-key-id ${oldAccessKeyId} --status Inactive`,
    ...(userName
      ? []
      : [
          `(Bridgekeep could not tell which IAM user the key belongs to: put that user's name for <user>; IAM → Users lists each user's access key IDs, ${oldAccessKeyId} among them.)`,
        ]),
  ].join(' ')
}

/** The IAM user name in a user's ARN (arn:aws:iam::123456789012:user/path/NAME); else undefined. */
export function iamUserName(arn: string | undefined): string | undefined {
  return /^arn:aws[\w-]*:iam::\d{12}:user\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/.exec(
    arn ?? '',
  )?.[1]
}

/**
 * Rotating an inline AWS connection's access key from Bridgekeep, through the runner: create the
 * user's next key with the current one, store it as the connection's new secret version (the
 * ordinary rotate: version history, audit), prove it with STS, and only then deactivate the old
 * key. The order keeps a working key at every step: if IAM refuses, nothing changed; if the new
 * key never verifies, the old one stays active and the user is told.
 */
export class AwsKeyRotationService {
  constructor(private readonly options: AwsKeyRotationOptions) {}

  async rotate(connectionId: string): Promise<AwsKeyRotation> {
    const connection = this.options.connections.get(connectionId)
    if (connection.provider !== 'aws' || connection.authMode !== 'inline')
      throw new BridgekeepError(
        'NOT_SUPPORTED',
        `"${connection.name}" is not an AWS connection holding an access key (inline mode): there is no key to rotate.`,
        'Roles and the runner’s own identity rotate on their own; rotate other secrets with Rotate.',
      )
    const { secrets, references } = this.options.connections.storedSecrets(connection.id)
    // The key lives where the reference points: rotating it here would store the new one in the
    // vault and leave the old one there.
    if (Object.keys(references).length > 0)
      throw new BridgekeepError(
        'NOT_SUPPORTED',
        `"${connection.name}" reads its access key from a reference (${connection.secrets
          .filter((s) => s.reference)
          .map((s) => s.reference)
          .join(', ')}): rotate the key where it is kept.`,
        'Create the new key in AWS and update the place the reference reads, or give the connection values (bridgekeep edit) to rotate it from here.',
      )
    const oldAccessKeyId = secrets.access_key_id ?? ''
    if (secrets.session_token)
      throw new BridgekeepError(
        'NOT_SUPPORTED',
        `"${connection.name}" holds temporary keys (with a session token): they expire on their own and cannot create a new key.`,
        'Store a long-term access key of an IAM user to rotate it from here.',
      )
    const input = (values: Record<string, string>): OperationInput => ({
      provider: 'aws',
      authMode: 'inline',
      config: connection.config,
      secrets: values,
    })

    // The app starts its local runner on demand, as a verify does: nothing else may have yet.
    await this.options.runner.ensureReady(LOCAL_RUNNER_NAME)
    const created = await this.step(connection, input(secrets), { action: 'create' })
    if (created.status !== 'created') throw this.unexpected()
    let updated: { secretVersion: number }
    try {
      updated = this.options.connections.rotate({
        id: connection.id,
        secrets: {
          access_key_id: created.accessKeyId,
          secret_access_key: created.secretAccessKey,
        },
      })
    } catch (error) {
      // Its secret exists nowhere else now: the key is useless, and the user should remove it.
      throw new BridgekeepError(
        'OPERATION_FAILED',
        `A new access key ${created.accessKeyId} was created in IAM for ${created.userName}, but it could not be stored (${error instanceof BridgekeepError ? error.message : 'unexpected error'}). The connection still holds the old key, which stays active.`,
        `Delete the new key, whose secret is lost: aws iam delete-access-key --user-name ${created.userName} --access-key-id ${created.accessKeyId}`,
      )
    }
    this.options.log.info('aws.key-created', { provider: 'aws' })
    const base = {
      connectionId: connection.id,
      userName: created.userName,
      oldAccessKeyId,
      newAccessKeyId: created.accessKeyId,
      secretVersion: updated.secretVersion,
    }
    const newSecrets = this.options.connections.storedSecrets(connection.id).secrets
    if (!(await this.verifies(connection.id, input(newSecrets))))
      return {
        ...base,
        verified: false,
        oldKeyDeactivated: false,
        note: `The new key ${created.accessKeyId} is stored (version ${updated.secretVersion}) but did not verify in time, so the old key ${oldAccessKeyId} stays active. Verify the connection later; once it is healthy: aws iam update-access-key --user-name ${created.userName} --access-key-id ${oldAccessKeyId} --status Inactive`,
      }
    try {
      await this.step(connection, input(secrets), {
        action: 'deactivate',
        accessKeyId: oldAccessKeyId,
      })
    } catch (error) {
      const why = error instanceof BridgekeepError ? error.message : 'IAM refused'
      return {
        ...base,
        verified: true,
        oldKeyDeactivated: false,
        note: `The new key works and is stored, but the old key ${oldAccessKeyId} could not be deactivated (${why}). Deactivate it by hand: aws iam update-access-key --user-name ${created.userName} --access-key-id ${oldAccessKeyId} --status Inactive`,
      }
    }
    this.options.log.info('aws.key-deactivated', { provider: 'aws' })
    return {
      ...base,
      verified: true,
      oldKeyDeactivated: true,
      note: `The old key ${oldAccessKeyId} is inactive, not deleted: once nothing uses it, delete it with aws iam delete-access-key --user-name ${created.userName} --access-key-id ${oldAccessKeyId}`,
    }
  }

  private async step(
    connection: { id: string; name: string },
    input: OperationInput,
    step: KeyRotationStep,
  ) {
    const answer = keyRotationResultSchema.safeParse(
      await this.options.runner.request({
        type: 'rotate-key',
        connectionId: connection.id,
        input,
        step,
      }),
    )
    if (!answer.success) throw this.unexpected()
    if (answer.data.status === 'failing')
      throw new BridgekeepError(
        'OPERATION_FAILED',
        `"${connection.name}": ${answer.data.error.message} Nothing was changed.`,
        step.action === 'create'
          ? `${answer.data.error.remedy} ${manualKeySteps(input.secrets.access_key_id ?? '', await this.keyOwner(connection.id, input))}`
          : answer.data.error.remedy,
      )
    return answer.data
  }

  /**
   * Whose key it is, for the manual steps: STS GetCallerIdentity with it (a key that may not
   * create keys may still say who it is). Undefined when STS does not answer with a user's ARN.
   */
  private async keyOwner(connectionId: string, input: OperationInput): Promise<string | undefined> {
    try {
      const answer = verifyResultSchema.safeParse(
        await this.options.runner.request({ type: 'verify', connectionId, input }),
      )
      return answer.success ? iamUserName(answer.data.identity?.details.arn) : undefined
    } catch {
      return undefined
    }
  }

  /** STS GetCallerIdentity with the new key, again and again until it works or time is up. */
  private async verifies(connectionId: string, input: OperationInput): Promise<boolean> {
    const within = this.options.verifyWithinMs ?? VERIFY_WITHIN_MS
    const deadline = Date.now() + within
    for (;;) {
      try {
        const answer = verifyResultSchema.safeParse(
          await this.options.runner.request({ type: 'verify', connectionId, input }),
        )
        if (answer.success && answer.data.status === 'healthy') return true
      } catch {
        // A runner hiccup is one more failed attempt: the new key is stored either way.
      }
      if (Date.now() + (this.options.retryEveryMs ?? RETRY_EVERY_MS) > deadline) return false
      await sleep(this.options.retryEveryMs ?? RETRY_EVERY_MS)
    }
  }

  private unexpected(): BridgekeepError {
    return new BridgekeepError(
      'RUNNER_REFUSED',
      'The runner answered the key rotation with something else than a key rotation result.',
      'Update the runner to the version of the app, then try again.',
    )
  }
}
