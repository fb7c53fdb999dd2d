import { spawn } from 'node:child_process'
import { providerRunner } from '../../main/services/issued-sessions/runner-issue'
import { flag, stringOption, type CommandSpec } from '../framework/command'
import { keyValues, printable, writeJson } from '../framework/output'

/** The desktop's "open this URL" command. */
const opener = (): [string, string[]] =>
  process.platform === 'darwin'
    ? ['open', []]
    : process.platform === 'win32'
      ? ['rundll32', ['url.dll,FileProtocolHandler']]
      : ['xdg-open', []]

/** Opens `url` in the default browser; false when the opener is missing or fails to start. */
function openInBrowser(url: string): Promise<boolean> {
  const [command, args] = opener()
  return new Promise((resolve) => {
    const child = spawn(command, [...args, url], { stdio: 'ignore', detached: true })
    child.once('error', () => resolve(false))
    child.once('spawn', () => {
      child.unref()
      resolve(true)
    })
  })
}

const awsConsole: CommandSpec = {
  usage: '<conn> [--env <env>] [--print]',
  description: [
    'Signs in to the AWS console as the connection and opens it in the default browser: with the',
    "role's session (cross-account), the runner's own role, or a federation token",
    "(GetFederationToken: long-term keys only, limited to the capabilities' services), exchanged",
    "at AWS's federation endpoint for a sign-in link valid for one hour. It is a use of the",
    'connection: authorized for the environment (by default the one verify uses) and audited,',
    'never with the link. --print writes the link to stdout instead: whoever has it is signed in.',
  ].join('\n'),
  options: {
    env: {
      type: 'string',
      short: 'e',
      valueName: 'env',
      description: 'the environment (name or slug); default: the one verify uses',
    },
    print: { type: 'boolean', description: 'print the sign-in link instead of opening it' },
  },
  positionals: { min: 1, max: 1 },
  json: true,
  vault: true,
  examples: ['bridgekeep aws console prod-aws --env production'],
  async run(context, { values, positionals }) {
    const services = await context.services()
    const connection = services.connections.findByRef(positionals[0]!)
    const environment = stringOption(values, 'env')
    const runner = await providerRunner('aws')()
    const signIn = await context.progress(
      `Signing in to the AWS console as ${connection.name}…`,
      () =>
        services.awsConsoleUsing(runner).signIn({
          connectionId: connection.id,
          ...(environment ? { environment } : {}),
        }),
    )
    const print = flag(values, 'print')
    const opened = !print && (await openInBrowser(signIn.url))
    if (context.json)
      return writeJson(context.io.stdout, {
        principal: signIn.principal,
        environment: signIn.environmentName,
        expiresAt: signIn.expiresAt,
        opened,
        ...(print ? { url: signIn.url } : {}),
      })
    if (print) return void context.io.stdout.write(`${signIn.url}\n`)
    context.io.stdout.write(
      keyValues([
        ['Console', opened ? 'opened in the default browser' : 'not opened'],
        ['As', signIn.principal],
        ['Environment', signIn.environmentName],
        ['Until', signIn.expiresAt],
      ]),
    )
    if (!opened) {
      context.io.stderr.write(
        `${printable(`No browser could be started (${opener()[0]}). Run again with --print and open the link yourself.`)}\n`,
      )
      return 1
    }
  },
}

export default awsConsole
