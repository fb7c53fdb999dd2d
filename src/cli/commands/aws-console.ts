import { providerRunner } from '../../main/services/issued-sessions/runner-issue'
import {
  REDIRECT_TIMEOUT_MS,
  startSingleUseRedirect,
} from '../../main/services/browser/single-use-redirect'
import { flag, stringOption, type CommandContext, type CommandSpec } from '../framework/command'
import { keyValues, printable, writeJson } from '../framework/output'
import { openInBrowser } from '../open-in-browser'

const MINUTES = REDIRECT_TIMEOUT_MS / 60_000

/**
 * The sign-in link goes to the browser through a one-time loopback address, so that it is never
 * in the opener's argv, where any local user could read it. The address is printed too (it works
 * once, and only on this computer) for when no browser starts; resolves whether it was opened.
 */
async function openSignIn(context: CommandContext, link: string): Promise<boolean> {
  const redirect = await startSingleUseRedirect(link)
  const started = await openInBrowser(redirect.url)
  context.io.stderr.write(
    `${started ? 'Opening the console in your browser. If it does not open, open' : 'No browser could be started here. Open'} ${redirect.url} yourself: it works once, for ${MINUTES} minutes.\n`,
  )
  return context.progress('Waiting for the browser…', () => redirect.served)
}

const awsConsole: CommandSpec = {
  usage: '<conn> [--env <env>] [--print]',
  description: [
    'Signs in to the AWS console as the connection and opens it in the default browser: with the',
    "role's session (cross-account), the runner's own role, or a federation token",
    "(GetFederationToken: long-term keys only, limited to the capabilities' services), exchanged",
    "at AWS's federation endpoint for a sign-in link valid for one hour. It is a use of the",
    'connection: authorized for the environment (by default the one verify uses) and audited,',
    'never with the link. The browser is given a one-time loopback address that redirects to the',
    'link, never the link itself. --print writes the link to stdout instead: whoever has it is',
    'signed in.',
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
    if (print)
      context.io.stderr.write(
        `Whoever has this link is signed in to the AWS console as ${printable(signIn.principal)} until ${signIn.expiresAt}: do not paste it anywhere others can see.\n`,
      )
    const opened = !print && (await openSignIn(context, signIn.url))
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
        `Nobody opened the console within ${MINUTES} minutes. Run again, or with --print to get the link itself.\n`,
      )
      return 1
    }
  },
}

export default awsConsole
