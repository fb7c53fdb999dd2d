import { basename } from 'node:path'
import { credentialsEnv } from '../exec/credentials-env'
import { runChild, signalExitCode, SignalRelay } from '../exec/run-child'
import { materialize, privateTempRoot } from '../exec/temp-files'
import { stringOption, type CommandSpec } from '../framework/command'
import { UsageError } from '../framework/errors'
import { connectionInEnvironment } from '../connection-argument'
import { inputIsTerminal } from '../framework/io'
import { printable } from '../framework/output'
import { fromVault } from '../from-vault'
import { fromTeam } from '../team-exec'
import { MFA_CODE_OPTION } from '../mfa-prompt'
import { withoutSecretVariables } from '../../shared/secret-variables'

const exec: CommandSpec = {
  usage: '<conn | connection://<env>/<name> | provider> --env <env> -- <command> [args...]',
  description: [
    "Runs <command> with the connection's credentials in the variables its tools read: AWS_*,",
    'AZURE_* and ARM_*, GOOGLE_APPLICATION_CREDENTIALS and CLOUDSDK_*, KUBECONFIG, PG* and',
    'DATABASE_URL, GITHUB_TOKEN/GH_TOKEN, GITLAB_TOKEN, DIGITALOCEAN_TOKEN, CIVO_TOKEN,',
    'CLOUDFLARE_API_TOKEN, DOCKER_CONFIG... plus BRIDGEKEEP_CONNECTION and BRIDGEKEEP_ENVIRONMENT.',
    'The connection must be authorized for the environment (resolution refuses it otherwise); a',
    "provider id instead of a connection uses the environment's default or only one. Key files and",
    'configs go in a private 0700 folder (files 0600) that is removed when the command ends, also',
    'when it is interrupted. SIGINT, SIGTERM and SIGHUP are forwarded (Ctrl-C on a terminal reaches',
    "the command directly, so it is not sent twice); the exit code is the command's own, or 128 +",
    'the signal number when a signal ended it. The use is recorded (usage, and an audit entry naming',
    'the command only, never its arguments).',
  ].join('\n'),
  options: {
    env: {
      type: 'string',
      short: 'e',
      valueName: 'env',
      description: 'the environment (name or slug)',
    },
    'azure-scope': {
      type: 'string',
      valueName: 'scope',
      description:
        "Azure, tokens only: the resource the access token is for, e.g. https://vault.azure.net/.default (default: the connection's Token scope, else Resource Manager)",
    },
    'mfa-code': MFA_CODE_OPTION,
    team: {
      type: 'string',
      valueName: 'team',
      description:
        "use a connection of this team space (its values, opened with this vault's key; the team's matrix decides the environment)",
    },
  },
  positionals: { min: 1, max: 1 },
  vault: true,
  passThrough: true,
  examples: [
    'bridgekeep exec prod-aws --env production -- aws sts get-caller-identity',
    'bridgekeep exec connection://staging/app-db -- psql -c "select 1"',
    'bridgekeep exec aws --env staging -- terraform plan',
    'bridgekeep exec prod-azure --env staging --azure-scope https://vault.azure.net/.default -- ./fetch-secret.sh',
    'bridgekeep exec --team platform app-db --env staging -- psql -c "select 1"',
  ],
  async run(context, { values, positionals, rest }) {
    const target = connectionInEnvironment(positionals[0]!, stringOption(values, 'env'), 'exec')
    if (rest.length === 0)
      throw new UsageError(
        'give the command to run after "--", e.g. -- aws sts get-caller-identity',
        'exec',
      )
    const azureScope = stringOption(values, 'azure-scope')
    const team = stringOption(values, 'team')
    // The command may run for hours: an in-process vault is locked and closed before it starts.
    const used =
      team === undefined
        ? await fromVault(
            context,
            values,
            {
              op: 'exec',
              ref: target.ref,
              env: target.env,
              program: basename(rest[0]!),
              ...(azureScope === undefined ? {} : { azureScope }),
            },
            { release: true },
          )
        : await fromTeam(context, values, team, target, azureScope)
    const plan = await credentialsEnv(used.credentials)
    const relay = new SignalRelay(inputIsTerminal(context.io))
    let files: ReturnType<typeof materialize> | undefined
    const lastResort = () => files?.cleanup()
    process.once('exit', lastResort)
    try {
      files = materialize(plan, () => privateTempRoot(context.io.env))
      if (relay.received) return signalExitCode(relay.received)
      const env = withoutSecretVariables(context.io.env)
      for (const variable of plan.unset) delete env[variable]
      Object.assign(env, files.set, {
        BRIDGEKEEP_CONNECTION: used.connection,
        BRIDGEKEEP_ENVIRONMENT: used.environment,
      })
      return await runChild(rest, relay, {
        env,
        onSpawnError: (message) =>
          context.io.stderr.write(`bridgekeep exec: ${printable(message)}\n`),
      })
    } finally {
      relay.stop()
      files?.cleanup()
      process.removeListener('exit', lastResort)
    }
  },
}

export default exec
