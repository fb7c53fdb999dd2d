import { awsSsoService } from '../../main/services/aws-sso/aws-sso-service'
import { getProvider } from '../../shared/providers'
import { stringOption, type CommandSpec } from '../framework/command'
import { UsageError } from '../framework/errors'
import { printable, writeJson } from '../framework/output'

const COMMAND = 'aws sso logout'

const awsSsoLogout: CommandSpec = {
  usage: '[--start-url <url>] [--region <region>]',
  description: [
    'Signs out of IAM Identity Center: asks it to end the session (Logout), so the token is refused from now on, and forgets the token and the cached role credentials of its connections on this computer. The connections stay; using one then says to sign in again (bridgekeep aws sso login).',
    'Without --start-url it signs out of the one sign-in there is; with several, name the one (and --region when a start URL is signed in to in more than one region).',
  ].join('\n\n'),
  options: {
    'start-url': {
      type: 'string',
      valueName: 'url',
      description:
        'the AWS access portal URL of the sign-in, e.g. https://my-org.awsapps.com/start',
    },
    region: {
      type: 'string',
      valueName: 'region',
      description: 'its IAM Identity Center region, when the start URL has sign-ins in several',
    },
  },
  positionals: { min: 0, max: 0 },
  json: true,
  vault: true,
  examples: ['bridgekeep aws sso logout --start-url https://my-org.awsapps.com/start'],
  async run(context, { values }) {
    const sso = awsSsoService(await context.vault())
    const signIns = sso.signIns()
    const startUrl = normalizedStartUrl(stringOption(values, 'start-url'))
    const region = stringOption(values, 'region')
    const matching = signIns.filter(
      (each) =>
        (startUrl === undefined || each.startUrl === startUrl) &&
        (region === undefined || each.region === region),
    )
    const listed = signIns.map((each) => `${each.startUrl} (${each.region})`).join(', ')
    if (matching.length === 0)
      throw new UsageError(
        signIns.length === 0
          ? 'not signed in to IAM Identity Center on this computer: nothing to sign out of.'
          : `no sign-in matches. Signed in to: ${listed}.`,
        COMMAND,
      )
    if (matching.length > 1)
      throw new UsageError(
        `signed in to several: ${matching.map((each) => `${each.startUrl} (${each.region})`).join(', ')}. Name one with --start-url (and --region).`,
        COMMAND,
      )
    const signedOut = await context.progress('Signing out of IAM Identity Center…', () =>
      sso.signOut(matching[0]!),
    )
    if (context.json) return writeJson(context.io.stdout, signedOut)
    const where = `${printable(signedOut.startUrl)} (${signedOut.region})`
    const forgotten = `${signedOut.forgottenCredentials} cached role credential${signedOut.forgottenCredentials === 1 ? '' : 's'} forgotten`
    context.io.stdout.write(
      signedOut.portal === 'unreachable'
        ? `Signed out of ${where} on this computer (token and ${forgotten}), but IAM Identity Center could not be reached: the session stays valid there until it expires.\n`
        : `Signed out of ${where}: IAM Identity Center ended the session; the token and ${forgotten}.\n`,
    )
  },
}

/** The start URL as sign-ins store it (the catalog's rule: https, no trailing slash). */
function normalizedStartUrl(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined
  const parsed = getProvider('aws')!
    .fields.find((field) => field.key === 'sso_start_url')!
    .schema.safeParse(raw)
  if (!parsed.success)
    throw new UsageError(`--start-url: ${parsed.error.issues[0]!.message}`, COMMAND)
  return parsed.data
}

export default awsSsoLogout
