import { stringOption, type CommandSpec } from '../framework/command'
import { gitAnswer, parseGitRequest } from '../credential-helpers/git-protocol'
import {
  helperCredentials,
  helperInput,
  HELPER_ENV_OPTION,
} from '../credential-helpers/helper-request'

const gitCredential: CommandSpec = {
  usage: 'get|store|erase [--env <env>] [--connection <conn>]',
  description: [
    "git's credential helper: git runs it with get, store or erase and the request on stdin.",
    'get answers the username and token of the GitHub, GitLab or HTTP connection that serves the',
    "remote's host (or the one --connection names), authorized for the environment (--env, else",
    'BRIDGEKEEP_ENV); each answer is recorded as usage and audited. store and erase do nothing:',
    'the vault keeps the credentials. In git config (the ! form runs the command as written):',
    '  git config --global credential.https://github.com.helper "!bridgekeep git-credential --env staging"',
    'https only (http to this machine is allowed for local servers).',
  ].join('\n'),
  options: {
    env: HELPER_ENV_OPTION,
    connection: {
      type: 'string',
      short: 'c',
      valueName: 'conn',
      description: 'the connection to use, instead of the one that serves the host',
    },
  },
  positionals: { min: 1, max: 1 },
  vault: true,
  examples: [
    'git config --global credential.https://github.com.helper "!bridgekeep git-credential --env staging"',
    'printf "protocol=https\\nhost=github.com\\n\\n" | bridgekeep git-credential get --env staging',
  ],
  async run(context, { values, positionals }) {
    const input = await helperInput(context.io, 'git')
    // git also sends store and erase (and may add actions): the vault is the store, so they are
    // answered with nothing, as git-credential(1) asks of a helper that does not know an action.
    if (positionals[0] !== 'get') return
    const request = parseGitRequest(input)
    const ref = stringOption(values, 'connection')
    const { credentials } = await helperCredentials(context, values, 'git', {
      host: request.host,
      ...(ref === undefined ? {} : { ref }),
    })
    context.io.stdout.write(gitAnswer(credentials))
  },
}

export default gitCredential
