import type { SsoAccount } from '../../main/services/aws-sso/sso-portal'
import { ssoConnectionForms } from '../../main/services/aws-sso/sso-connections'
import { createAuthorized } from '../../main/services/environments/create-authorized'
import { instanceFrom, instanceOptions } from '../aws-sso/instance-options'
import { stringOption, stringsOption, type CommandSpec } from '../framework/command'
import { UsageError } from '../framework/errors'
import { printable, writeJson } from '../framework/output'

interface Chosen {
  account: SsoAccount
  role: string
}

/** The account × permission set pairs the options choose, or a message naming what exists. */
function choose(
  accounts: readonly SsoAccount[],
  wanted: { accounts: string[]; roles: string[]; all: boolean },
): Chosen[] {
  if (!wanted.all && wanted.accounts.length === 0 && wanted.roles.length === 0)
    throw new UsageError(
      'choose with --account and/or --role, or take every one with --all.',
      'aws sso add',
    )
  const accountMatches = (account: SsoAccount) =>
    wanted.all ||
    wanted.accounts.length === 0 ||
    wanted.accounts.some(
      (ref) => ref === account.accountId || ref.toLowerCase() === account.accountName.toLowerCase(),
    )
  const roleMatches = (role: string) =>
    wanted.all || wanted.roles.length === 0 || wanted.roles.includes(role)
  const picks = accounts
    .filter(accountMatches)
    .flatMap((account) => account.roles.filter(roleMatches).map((role) => ({ account, role })))
  if (picks.length === 0) {
    const offered = accounts
      .map(
        (account) =>
          `${account.accountId} (${account.accountName}): ${account.roles.join(', ') || 'none'}`,
      )
      .join('; ')
    throw new UsageError(
      `no account and permission set matches. You may use: ${offered || 'nothing (no assignments)'}.`,
      'aws sso add',
    )
  }
  return picks
}

const awsSsoAdd: CommandSpec = {
  usage:
    '--start-url <url> --region <region> (--account <id|name>... --role <set>... | --all) [options]',
  description: [
    'Adds one AWS connection per chosen account and permission set of a signed-in IAM Identity Center (see bridgekeep aws sso login). Each connection stores only which account and permission set it is (auth mode "sso": nothing secret); exec and credential_process get that role’s short-lived credentials from the sign-in (GetRoleCredentials), so environments, sharing rules and the audit trail work per account and role like any connection.',
    '--account and --role are repeatable: --account alone takes all of its permission sets, --role alone that permission set in every account.',
  ].join('\n\n'),
  options: {
    ...instanceOptions,
    account: {
      type: 'string',
      valueName: 'id|name',
      multiple: true,
      description: 'an account (12 digits or its name)',
    },
    role: {
      type: 'string',
      valueName: 'set',
      multiple: true,
      description: 'a permission set, e.g. AdministratorAccess',
    },
    all: { type: 'boolean', description: 'every account and permission set you may use' },
    'default-region': {
      type: 'string',
      valueName: 'region',
      description: 'the region tools use (AWS_REGION); the IAM Identity Center region otherwise',
    },
    env: {
      type: 'string',
      short: 'e',
      valueName: 'env',
      multiple: true,
      description: 'authorize them for this environment (repeatable)',
    },
    yes: {
      type: 'boolean',
      short: 'y',
      description: 'confirm authorizing them for a protected environment',
    },
  },
  positionals: { min: 0, max: 0 },
  json: true,
  vault: true,
  examples: [
    'bridgekeep aws sso add --start-url https://my-org.awsapps.com/start --region eu-west-1 \\',
    '    --account prod --role ReadOnly --env production',
  ],
  async run(context, { values }) {
    const instance = instanceFrom(values, 'aws sso add')
    const services = await context.services()
    const accounts = await context.progress('Listing your accounts and permission sets…', () =>
      services.awsSso.accounts(instance),
    )
    const picks = choose(accounts, {
      accounts: stringsOption(values, 'account'),
      roles: stringsOption(values, 'role'),
      all: values.all === true,
    })
    const environmentIds = stringsOption(values, 'env').map(
      (ref) => services.environments.findByRef(ref).id,
    )
    const forms = ssoConnectionForms(
      instance,
      picks.map(({ account, role }) => ({ ...account, roleName: role })),
      { defaultRegion: stringOption(values, 'default-region'), environmentIds },
    )
    const ids = createAuthorized(services, forms, { confirmProtected: values.yes === true })
    const created = ids.map((id) => services.connections.get(id))
    if (context.json) return writeJson(context.io.stdout, created)
    for (const connection of created)
      context.io.stdout.write(
        printable(`Added ${connection.name} (aws, IAM Identity Center) as ${connection.slug}.`) +
          '\n',
      )
  },
}

export default awsSsoAdd
