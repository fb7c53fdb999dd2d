import type { ConnectionCreate } from '../../shared/connections'
import { isBridgekeepError } from '../../shared/errors'
import { createAuthorized } from '../../main/services/environments/create-authorized'
import type { AwsRoleCheck } from '../../shared/aws-role-check'
import { checkNewRole, stackNameOption } from '../aws-save-role'
import { flag, stringOption, stringsOption, type CommandSpec } from '../framework/command'
import { confirmationRequired, UsageError } from '../framework/errors'
import type { CliIO } from '../framework/io'
import { printable, writeJson } from '../framework/output'
import {
  fieldAssignments,
  flagAssignments,
  givenFields,
  refuseInapplicable,
  referenceAssignments,
  withFieldDefaults,
} from '../field-values'
import { fileConnections, requireProvider, type ConnectionFile } from '../connection-file'

const add: CommandSpec = {
  usage: '<provider> --name <name> --field key=value... [options] | --from-file <file>',
  description: [
    "Fields are the provider catalog's keys (see the app's form, or the error that names a missing one).",
    'Secret values are never taken on the command line, where shell history and process lists keep them:',
    'give them as key=@- (read from stdin, one field only) or key=@path (read from a file), or put the',
    'whole connection in a JSON or YAML file for --from-file:',
    '  { "name": "prod-aws", "provider": "aws", "authMode": "inline", "labels": ["team"],',
    '    "values": { "access_key_id": "AKIA...", "secret_access_key": "...", "default_region": "eu-west-1" } }',
    'A file may hold a list of such objects: all are added, or none if one is invalid.',
    'Each may name "environments": ["staging"] to authorize it for, like --env (which applies to all):',
    'added and authorized together, or not at all. Protected environments need --yes.',
    'Any value may come from a file with @path (a CA certificate, a kubeconfig, a key file).',
    'A secret field may hold a reference instead, read at each use and never stored:',
    '  --ref token=env:GITHUB_TOKEN   --ref password=file:~/.secrets/db   --ref token=command:pass show ci/gh',
  ].join('\n'),
  options: {
    name: { type: 'string', valueName: 'name', description: 'the connection name' },
    slug: {
      type: 'string',
      valueName: 'slug',
      description: 'its slug (derived from the name when left out)',
    },
    'auth-mode': {
      type: 'string',
      valueName: 'mode',
      description:
        "inline, runner-delegated, cross-account or sso (the provider's default otherwise)",
    },
    field: {
      type: 'string',
      valueName: 'key=value',
      multiple: true,
      description: 'a field value (secrets: key=@- or key=@path)',
    },
    ref: {
      type: 'string',
      valueName: 'field=reference',
      multiple: true,
      description:
        'a secret field read at each use instead of stored: env:NAME, file:/path, command:program args',
    },
    capabilities: {
      type: 'string',
      valueName: 'ids',
      description:
        'AWS only: what the connection may be used for, e.g. eks,s3 (all by default; see bridgekeep aws policy)',
    },
    runner: {
      type: 'string',
      valueName: 'name',
      description:
        'the runner its operations go to (runner-delegated, cross-account; default: local); the same as --field runner=<name>',
    },
    'session-duration': {
      type: 'string',
      valueName: 'duration',
      description:
        'AWS only: how long the sessions tools get last, e.g. 15m, 4h (default 1h; a role allows up to 12h); the same as --field session_duration=<duration>',
    },
    'mfa-serial': {
      type: 'string',
      valueName: 'device',
      description:
        "AWS only: the MFA device's ARN or serial; sessions then ask for its code (the same as --field mfa_serial=<device>)",
    },
    'stack-name': {
      type: 'string',
      valueName: 'stack',
      description:
        "AWS cross-account only: read the role ARN from this CloudFormation stack's RoleArn output, and add the connection only once the role could be assumed",
    },
    'save-anyway': {
      type: 'boolean',
      description: 'with --stack-name: add it with the role read even if assuming it fails',
    },
    label: { type: 'string', valueName: 'label', multiple: true, description: 'a label' },
    notes: { type: 'string', valueName: 'text', description: 'notes (not secret)' },
    env: {
      type: 'string',
      short: 'e',
      valueName: 'env',
      multiple: true,
      description: 'authorize it for this environment (name or slug; repeatable)',
    },
    yes: {
      type: 'boolean',
      short: 'y',
      description: 'confirm authorizing it for a protected environment',
    },
    'from-file': {
      type: 'string',
      valueName: 'file',
      description: 'a JSON or YAML file with the connection(s)',
    },
  },
  positionals: { min: 0, max: 1 },
  json: true,
  vault: true,
  examples: [
    'printf %s "$SECRET" | bridgekeep add aws --name prod-aws --field access_key_id=AKIA... \\',
    '    --field secret_access_key=@- --field default_region=eu-west-1',
    'bridgekeep add github --name ci-github --field token=@~/.secrets/gh-token --env staging',
    'bridgekeep add github --name ci-github --ref token=env:GITHUB_TOKEN --env staging',
    'bridgekeep add aws --name platform --auth-mode cross-account --field external_id=bk-... \\',
    '    --field default_region=eu-west-1 --stack-name bridgekeep-access',
    'bridgekeep add --from-file prod-aws.yaml',
  ],
  async run(context, { values, positionals }) {
    const fromFile = stringOption(values, 'from-file')
    const stackName = stackNameOption(values, 'add')
    const saveAnyway = flag(values, 'save-anyway')
    if (saveAnyway && stackName === undefined)
      throw new UsageError('--save-anyway goes with --stack-name.', 'add')
    const inputs = fromFile
      ? fileConnections(context.io, fromFile, positionals, [
          ...stringsOption(values, 'field'),
          ...stringsOption(values, 'ref'),
          ...stringsOption(values, 'capabilities'),
          ...(stackName === undefined ? [] : [stackName]),
        ])
      : [await argvConnection(context.io, positionals[0], values)]
    const services = await context.services()
    const everywhere = stringsOption(values, 'env')
    const names = new Map<string, string>()
    const envId = (ref: string) => {
      const env = services.environments.findByRef(ref)
      names.set(env.id, env.name)
      return env.id
    }
    const forms: ConnectionCreate[] = inputs.map(({ environments = [], ...input }) => ({
      ...input,
      values: withFieldDefaults(input.provider, input.authMode, input.values),
      environmentIds: [...everywhere, ...environments].map(envId),
    }))
    let roleCheck: AwsRoleCheck | undefined
    if (stackName !== undefined) {
      const form = forms[0]!
      roleCheck = await checkNewRole(context, form.name, form.values, stackName, saveAnyway)
      if (!roleCheck.saved) return 1
      form.values = { ...form.values, role_arn: roleCheck.roleArn! }
    }
    const ids = authorizedOrExplained(() =>
      createAuthorized(services, forms, { confirmProtected: values.yes === true }),
    )
    const created = ids.map((id) => services.connections.get(id))
    if (context.json)
      return writeJson(
        context.io.stdout,
        fromFile ? created : roleCheck ? { ...created[0], roleCheck } : created[0],
      )
    const envNames = (environmentIds: readonly string[]) =>
      environmentIds.map((id) => names.get(id)).join(', ')
    created.forEach((connection, index) => {
      const authorized = [...new Set(forms[index]!.environmentIds)]
      context.io.stdout.write(
        printable(
          `Added ${connection.name} (${connection.provider}, ${connection.authMode}) as ${connection.slug}${authorized.length ? `, authorized for ${envNames(authorized)}` : ''}.`,
        ) + '\n',
      )
    })
    const first = created[0]
    if (first && forms.every((form) => form.environmentIds?.length === 0))
      context.io.stderr.write(
        `Authorize it for an environment to use it: bridgekeep authorize ${first.slug} <env> (or add it with --env <env>)\n`,
      )
  },
}

/** A protected environment unconfirmed: nothing was added, and --yes is the way on. */
function authorizedOrExplained(create: () => string[]): string[] {
  try {
    return create()
  } catch (error) {
    if (isBridgekeepError(error) && error.code === 'CONFIRMATION_REQUIRED')
      throw confirmationRequired(`${error.message} Nothing was added.`, 'add <the same arguments>')
    throw error
  }
}

async function argvConnection(
  io: CliIO,
  providerId: string | undefined,
  values: Parameters<CommandSpec['run']>[1]['values'],
): Promise<ConnectionFile> {
  if (providerId === undefined)
    throw new UsageError(
      'name the provider (e.g. bridgekeep add aws ...), or use --from-file.',
      'add',
    )
  const provider = requireProvider(providerId)
  const name = stringOption(values, 'name')
  if (!name) throw new UsageError('--name is required.', 'add')
  const mfaSerial = stringOption(values, 'mfa-serial')
  if (mfaSerial !== undefined && provider.id !== 'aws')
    throw new UsageError(`--mfa-serial is for AWS connections, not ${provider.id}.`, 'add')
  const assignments = [...stringsOption(values, 'field'), ...flagAssignments(values)]
  const fields = await fieldAssignments(io, assignments, provider, {
    option: '--field',
    command: 'add',
  })
  const capabilities = stringOption(values, 'capabilities')
  if (capabilities !== undefined) {
    if (provider.id !== 'aws')
      throw new UsageError(`--capabilities is for AWS connections, not ${provider.id}.`, 'add')
    if (fields.capabilities !== undefined)
      throw new UsageError(
        'give the capabilities once: --capabilities or --field capabilities=.',
        'add',
      )
    fields.capabilities = capabilities
  }
  const mode = stringOption(values, 'auth-mode') ?? provider.defaultAuthMode
  const given = givenFields(values, fields, '--field').map((each) =>
    each.key === 'capabilities' && capabilities !== undefined
      ? { ...each, option: '--capabilities' }
      : each,
  )
  if (stringOption(values, 'stack-name') !== undefined) {
    if (provider.id !== 'aws')
      throw new UsageError(`--stack-name is for AWS connections, not ${provider.id}.`, 'add')
    if (fields.role_arn !== undefined)
      throw new UsageError(
        'give the role once: --stack-name reads it from the stack, --field role_arn= names it.',
        'add',
      )
    // The stack gives the role ARN: it applies where a role ARN does.
    given.push({ option: '--stack-name', key: 'role_arn' })
  }
  refuseInapplicable(provider, mode, given, {
    command: 'add',
    remedy: (modes) => `or choose --auth-mode ${modes.join(' or ')}`,
  })
  const references = referenceAssignments(stringsOption(values, 'ref'), 'add')
  refuseInapplicable(
    provider,
    mode,
    Object.keys(references).map((key) => ({ key, option: `--ref ${key}` })),
    { command: 'add', remedy: (modes) => `or choose --auth-mode ${modes.join(' or ')}` },
  )
  const slug = stringOption(values, 'slug')
  const notes = stringOption(values, 'notes')
  return {
    name,
    provider: provider.id,
    authMode: mode,
    ...(slug === undefined ? {} : { slug }),
    labels: stringsOption(values, 'label'),
    ...(notes === undefined ? {} : { notes }),
    values: fields,
    ...(Object.keys(references).length > 0 ? { references } : {}),
  }
}

export default add
