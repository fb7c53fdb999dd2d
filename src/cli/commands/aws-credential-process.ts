import { stringOption, type CommandSpec } from '../framework/command'
import { connectionInEnvironment } from '../connection-argument'
import { fromVault } from '../from-vault'
import { MFA_CODE_OPTION } from '../mfa-prompt'

const credentialProcess: CommandSpec = {
  usage: '<conn> --env <env> | connection://<env>/<conn>',
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
    'mfa-code': MFA_CODE_OPTION,
  },
  positionals: { min: 1, max: 1 },
  vault: true,
  async run(context, { values, positionals }) {
    const target = connectionInEnvironment(
      positionals[0]!,
      stringOption(values, 'env'),
      'aws credential-process',
    )
    const output = await fromVault(context, values, {
      op: 'credential-process',
      name: target.ref,
      env: target.env,
    })
    context.io.stdout.write(`${JSON.stringify(output)}\n`)
  },
}

export default credentialProcess
