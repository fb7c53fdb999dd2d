import { issuedExpiry } from '../../shared/operations'
import { issuedKindLabels, teamSessionExports } from '../../shared/team-connections'
import { stringOption, type CommandSpec } from '../framework/command'
import { UsageError } from '../framework/errors'
import { printable } from '../framework/output'
import { connectionInEnvironment } from '../connection-argument'
import { TEAM_OPTION } from '../team-arguments'

const formats = ['env', 'json', 'credential-process'] as const

const teamCredentials: CommandSpec = {
  usage:
    '<conn> --env <env> [--team <team>] [--format env|json|credential-process] [--timeout <seconds>]',
  description: [
    "Asks the team's runner for short-lived credentials of a team connection in an environment: an AWS session (15 minutes), a GCP or Azure access token (about an hour). The request is signed with this vault's key and written to the team database; the runner answers with credentials only this vault can decrypt, or a refusal saying why. The connection's own secret never reaches this machine: this is how use-only members use a connection.",
    '--format env (the default) prints export lines for a shell (eval "$(bridgekeep team credentials …)"): AWS_* for AWS; CLOUDSDK_AUTH_ACCESS_TOKEN and GOOGLE_OAUTH_ACCESS_TOKEN (and the project) for GCP; AZURE_ACCESS_TOKEN with the tenant and subscription (AZURE_* and ARM_*) for Azure, as exec sets them. json prints the fields; credential-process (AWS only) prints what the AWS CLI and SDKs expect from credential_process. Waits up to --timeout seconds (30 by default) for a runner to answer.',
  ].join('\n\n'),
  options: {
    env: {
      type: 'string',
      short: 'e',
      valueName: 'env',
      description: 'the environment (as the team names it)',
    },
    team: TEAM_OPTION,
    format: { type: 'string', valueName: 'format', description: 'env, json or credential-process' },
    timeout: {
      type: 'string',
      valueName: 'seconds',
      description: 'how long to wait for a runner (1 to 600; default 30)',
    },
  },
  positionals: { min: 1, max: 1 },
  vault: true,
  examples: [
    'eval "$(bridgekeep team credentials prod-aws --env production)"',
    'bridgekeep team credentials prod-aws --env production --format credential-process',
    'eval "$(bridgekeep team credentials prod-gcp --env staging)" && gcloud projects list',
  ],
  async run(context, { values, positionals }) {
    const command = 'team credentials'
    const format = stringOption(values, 'format') ?? 'env'
    if (!(formats as readonly string[]).includes(format))
      throw new UsageError(
        `--format must be one of ${formats.join(', ')} (not "${printable(format.slice(0, 30))}").`,
        command,
      )
    const timeout = stringOption(values, 'timeout')
    const seconds = timeout === undefined ? 30 : Number(timeout)
    if (!/^\d+$/.test(timeout ?? '30') || seconds < 1 || seconds > 600)
      throw new UsageError(`--timeout must be a whole number of seconds from 1 to 600.`, command)
    const target = connectionInEnvironment(positionals[0]!, stringOption(values, 'env'), command)
    const services = await context.services()
    const session = await context.progress('Waiting for the team runner…', () =>
      services.teamRunner.credentials(
        stringOption(values, 'team'),
        { connection: target.ref, environment: target.env },
        { timeoutMs: seconds * 1000 },
      ),
    )
    const out = context.io.stdout
    if (format === 'json') {
      out.write(`${JSON.stringify(session, null, 2)}\n`)
      return
    }
    if (format === 'credential-process') {
      if (session.kind !== 'aws-session')
        throw new UsageError(
          `--format credential-process is the AWS CLI's, and ${printable(target.ref)} gave a ${issuedKindLabels[session.kind]}: use --format env or json. Nothing was printed.`,
          command,
        )
      out.write(
        `${JSON.stringify({
          Version: 1,
          AccessKeyId: session.accessKeyId,
          SecretAccessKey: session.secretAccessKey,
          SessionToken: session.sessionToken,
          Expiration: session.expiration,
        })}\n`,
      )
      return
    }
    out.write(
      [
        ...teamSessionExports(session),
        `# Issued by ${printable(session.runner)}'s team runner; expires ${issuedExpiry(session)}`,
        '',
      ].join('\n'),
    )
  },
}

export default teamCredentials
