import { BridgekeepError } from '../../shared/errors'
import { stringOption, type CommandSpec } from '../framework/command'
import { UsageError } from '../framework/errors'
import { useConnection } from '../use-connection'

/** The shape the AWS CLI and SDKs read from a credential_process (Version 1). */
export interface ProcessCredentials {
  Version: 1
  AccessKeyId: string
  SecretAccessKey: string
  SessionToken?: string
  Expiration?: string
}

const credentialProcess: CommandSpec = {
  usage: '<conn> --env <env>',
  description: [
    'Prints the JSON the AWS CLI and SDKs expect from credential_process, for an AWS connection',
    'authorized for the environment. In ~/.aws/config (or the file AWS_CONFIG_FILE names):',
    '  [profile prod]',
    '  credential_process = bridgekeep aws credential-process prod-aws --env production',
    'Each call is resolved, recorded as usage and audited. Short-lived (STS) credentials are',
    'cached, sealed with the vault key, and renewed 5 minutes before they expire; stored',
    'long-lived keys are printed without an Expiration.',
  ].join('\n'),
  options: {
    env: {
      type: 'string',
      short: 'e',
      valueName: 'env',
      description: 'the environment (name or slug)',
    },
  },
  positionals: { min: 1, max: 1 },
  vault: true,
  async run(context, { values, positionals }) {
    const env = stringOption(values, 'env')
    if (env === undefined) throw new UsageError('--env is required.', 'aws credential-process')
    const services = await context.services()
    const used = await useConnection(services, {
      provider: 'aws',
      environment: env,
      name: positionals[0]!,
      operation: 'credential-process',
      detail: 'AWS credential_process',
      refusedDetail: 'Refused AWS credential_process',
    })
    const { secrets } = used.credentials
    if (!secrets.access_key_id || !secrets.secret_access_key) {
      throw new BridgekeepError(
        'NOT_SUPPORTED',
        `Connection ${used.resolved.connection.name} has no stored access keys to hand out (it uses the runner's own identity).`,
        'Use a connection with stored keys, or let the AWS CLI use its own credentials.',
      )
    }
    const output: ProcessCredentials = {
      Version: 1,
      AccessKeyId: secrets.access_key_id,
      SecretAccessKey: secrets.secret_access_key,
      ...(secrets.session_token ? { SessionToken: secrets.session_token } : {}),
      ...(used.issued.expiresAt ? { Expiration: used.issued.expiresAt } : {}),
    }
    context.io.stdout.write(`${JSON.stringify(output)}\n`)
  },
}

export default credentialProcess
