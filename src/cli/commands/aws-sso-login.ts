import { awsSsoService } from '../../main/services/aws-sso/aws-sso-service'
import type { SsoAccount } from '../../main/services/aws-sso/sso-portal'
import { instanceFrom, instanceOptions } from '../aws-sso/instance-options'
import type { CommandSpec } from '../framework/command'
import { openInBrowser } from '../open-in-browser'
import { printable, table, writeJson } from '../framework/output'

/** The accounts × permission sets, one line each. */
function assignmentTable(accounts: readonly SsoAccount[]): string {
  const rows = accounts.flatMap((account) => account.roles.map((role) => ({ account, role })))
  return table(rows, [
    { header: 'Account', value: (row) => row.account.accountId },
    { header: 'Name', value: (row) => row.account.accountName },
    { header: 'Permission set', value: (row) => row.role },
  ])
}

const awsSsoLogin: CommandSpec = {
  usage: '--start-url <url> --region <region> [options]',
  description: [
    'Signs in to IAM Identity Center (AWS SSO) with the device flow: prints the verification page and a code (and opens the page in the browser when there is a display), waits while you approve the code there, then lists the accounts and permission sets you may use.',
    'The sign-in (the client Bridgekeep registered with IAM Identity Center and its tokens) is kept sealed with the vault key and shared by every connection of that start URL and region; it is refreshed on its own while AWS allows, and then you sign in again. Add connections from it with bridgekeep aws sso add.',
  ].join('\n\n'),
  options: {
    ...instanceOptions,
    'no-browser': { type: 'boolean', description: 'only print the page; do not open a browser' },
  },
  positionals: { min: 0, max: 0 },
  json: true,
  vault: true,
  examples: [
    'bridgekeep aws sso login --start-url https://my-org.awsapps.com/start --region eu-west-1',
  ],
  async run(context, { values }) {
    const instance = instanceFrom(values, 'aws sso login')
    const services = await context.vault()
    const sso = awsSsoService(services)
    const { signInId, authorization } = await context.progress(
      'Asking IAM Identity Center for a code…',
      () => sso.startSignIn(instance),
    )
    const page = authorization.verificationUriComplete ?? authorization.verificationUri
    // With --json the code goes to stderr, so stdout stays one JSON document.
    const say = context.json ? context.io.stderr : context.io.stdout
    // The page and the code come from the network: shown with their controls made visible.
    say.write(
      `To sign in, open ${printable(authorization.verificationUri)} and confirm this code:\n\n    ${printable(authorization.userCode)}\n\n`,
    )
    if (values['no-browser'] !== true && (await openInBrowser(page)))
      say.write('The page is opening in your browser.\n')
    else if (authorization.verificationUriComplete)
      say.write(
        `(or open ${printable(authorization.verificationUriComplete)}, the code filled in)\n`,
      )
    say.write(`Waiting for approval (the code expires at ${authorization.expiresAt})…\n`)
    const { accounts } = await context.progress('Waiting for approval in the browser…', () =>
      sso.completeSignIn(signInId),
    )
    if (context.json)
      return writeJson(context.io.stdout, {
        startUrl: instance.startUrl,
        region: instance.region,
        accounts,
      })
    const out = context.io.stdout
    out.write(`Signed in to ${printable(instance.startUrl)} (${instance.region}).\n\n`)
    out.write(assignmentTable(accounts))
    out.write(
      `\nAdd connections: bridgekeep aws sso add --start-url ${instance.startUrl} --region ${instance.region} --account <id> --role <permission set> (or --all)\n`,
    )
  },
}

export default awsSsoLogin
