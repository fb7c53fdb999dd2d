import {
  stringOption,
  type CommandContext,
  type CommandSpec,
  type OptionValues,
} from '../framework/command'
import { DOCKER_HELPER_NAME } from '../credential-helpers/invoked-as'
import {
  DOCKER_NOT_FOUND,
  dockerLogin,
  listedUsername,
  registryHost,
} from '../credential-helpers/docker-protocol'
import {
  helperCredentials,
  helperInput,
  HELPER_ENV_OPTION,
} from '../credential-helpers/helper-request'
import { hostsServed, HELPER_PROVIDERS } from '../../main/agent/connection-for-host'
import { BridgekeepError, isBridgekeepError } from '../../shared/errors'
import { printable } from '../framework/output'
import { fromVault } from '../from-vault'

const dockerCredential: CommandSpec = {
  usage: 'get|list|store|erase [--env <env>]',
  description: [
    `docker's credential helper, also answering as ${DOCKER_HELPER_NAME} (a link to bridgekeep of`,
    'that name on PATH): get reads a registry address on stdin and answers the login of the',
    'Docker Hub, Amazon ECR or Artifact Registry connection for that host, authorized for the',
    'environment (--env, else BRIDGEKEEP_ENV; docker passes no flags, so set it where docker runs).',
    "ECR's login comes from the ECR API (GetAuthorizationToken), asked each time with the AWS",
    'credentials the connection uses. Each get is recorded as usage and audited; a registry no',
    'connection serves gets docker\'s "not found" (it then pulls without logging in). list names',
    'the registries the environment has connections for; store and erase are refused (docker',
    'login cannot write into the vault). In ~/.docker/config.json: {"credsStore": "bridgekeep"}',
    'for every registry, or {"credHelpers": {"registry.example.com": "bridgekeep"}} for some.',
  ].join('\n'),
  options: { env: HELPER_ENV_OPTION },
  positionals: { min: 1, max: 1 },
  vault: true,
  examples: [
    `ln -s "$(command -v bridgekeep)" ~/.local/bin/${DOCKER_HELPER_NAME}`,
    `echo https://index.docker.io/v1/ | BRIDGEKEEP_ENV=staging ${DOCKER_HELPER_NAME} get`,
  ],
  async run(context, { values, positionals }) {
    const action = positionals[0]
    if (action === 'get') return answerGet(context, values)
    if (action === 'list') return answerList(context, values)
    await helperInput(context.io, 'docker')
    throw new BridgekeepError(
      'NOT_SUPPORTED',
      action === 'store' || action === 'erase'
        ? `docker-credential ${action}: the Bridgekeep helper does not ${action === 'store' ? 'store logins (docker login)' : 'erase logins (docker logout)'}; registry credentials live in the vault.`
        : `docker-credential: "${action}" is not an action of docker's credential helper protocol (get, list, store, erase).`,
      'Add or change the registry connection in Bridgekeep (bridgekeep add dockerhub ...), and log out by removing "credsStore"/"credHelpers" from ~/.docker/config.json.',
    )
  },
}

async function answerGet(context: CommandContext, values: OptionValues): Promise<void> {
  const serverUrl = (await helperInput(context.io, 'docker')).trim()
  try {
    const host = registryHost(serverUrl)
    const { credentials } = await helperCredentials(context, values, 'docker', { host })
    const login = await dockerLogin(credentials)
    context.io.stdout.write(`${JSON.stringify({ ServerURL: serverUrl, ...login })}\n`)
  } catch (error) {
    // docker shows a helper's stdout, not its stderr; "not found" lets it go on anonymously.
    if (isBridgekeepError(error))
      context.io.stdout.write(
        error.code === 'NO_CONNECTION'
          ? `${DOCKER_NOT_FOUND}\n`
          : `${printable(`bridgekeep: ${error.message}${error.hint ? ` ${error.hint}` : ''}`)}\n`,
      )
    throw error
  }
}

/** The registries of the environment's registry connections: settings only, nothing resolved. */
async function answerList(context: CommandContext, values: OptionValues): Promise<void> {
  const env = stringOption(values, 'env') ?? context.io.env.BRIDGEKEEP_ENV
  const rows = await fromVault(context, values, {
    op: 'ls',
    labels: [],
    ...(env ? { env } : {}),
  })
  const listed: Record<string, string> = {}
  for (const row of rows.filter((r) => HELPER_PROVIDERS.docker.includes(r.provider))) {
    const { detail } = await fromVault(context, values, { op: 'show', ref: row.slug })
    for (const host of hostsServed(row.provider, detail.config))
      listed[host] = listedUsername(row.provider, detail.config)
  }
  context.io.stdout.write(`${JSON.stringify(listed)}\n`)
}

export default dockerCredential
