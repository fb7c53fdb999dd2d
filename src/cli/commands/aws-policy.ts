import { resolve } from 'node:path'
import {
  awsCapabilityIds,
  storedCapabilities,
  type AwsCapabilityId,
} from '../../shared/aws/capabilities'
import { roleTemplate } from '../../shared/aws/cloudformation'
import { generatePolicies, policyDiff } from '../../shared/aws/iam-policy'
import { newExternalId, parsePrincipal, trustPolicy } from '../../shared/aws/trust-policy'
import { BridgekeepError } from '../../shared/errors'
import { aws } from '../../shared/providers/aws'
import { printable, writeJson } from '../framework/output'
import { flag, stringOption, type CommandSpec, type OptionValues } from '../framework/command'
import { UsageError } from '../framework/errors'
import { claimOutput } from '../framework/files'
import { capabilitiesOption } from '../aws-capabilities-option'
import { fromVault } from '../from-vault'
import { crossAccountText, diffText, policiesText, type RoleSetup } from '../aws-role-text'

const COMMAND = 'aws policy'

const awsPolicy: CommandSpec = {
  usage: '[<conn>] [--capabilities <ids>] [--cross-account --principal <arn>] [-o <template.json>]',
  description: [
    "Prints the least-privilege IAM policy for an AWS connection's capabilities, or for those given",
    `with --capabilities (${awsCapabilityIds.join(', ')}). All ten`,
    "exceed AWS's 6,144-character limit for one managed policy: they are split, each to attach.",
    'Given a connection and --capabilities, it first shows what changing to them grants and removes.',
    'With --cross-account (implied for a cross-account connection) it adds the trust policy for the',
    "principal Bridgekeep acts as, with an external ID (the connection's, or a new one), writes a",
    'CloudFormation template creating the role (-o), and prints the Quick Create link parameters.',
    'The console loads a Quick Create template from an S3 URL: upload the file and give --template-url',
    'for the whole link, or create the stack from the file with the aws CLI command printed.',
  ].join('\n'),
  options: {
    capabilities: {
      type: 'string',
      valueName: 'ids',
      description: "comma-separated (the connection's, or all of them, otherwise)",
    },
    'cross-account': {
      type: 'boolean',
      description: 'also the trust policy and the CloudFormation template of a role to assume',
    },
    principal: {
      type: 'string',
      valueName: 'arn',
      description: 'the IAM user or role ARN (or account ID) that assumes the role',
    },
    'external-id': {
      type: 'string',
      valueName: 'id',
      description: "the trust policy's sts:ExternalId (the connection's, or a new one)",
    },
    mfa: { type: 'boolean', description: 'the role may be assumed only with MFA' },
    region: {
      type: 'string',
      valueName: 'region',
      description: "the console's region (the connection's default region, or us-east-1)",
    },
    'stack-name': { type: 'string', valueName: 'name', description: 'bridgekeep-access otherwise' },
    'template-url': {
      type: 'string',
      valueName: 'url',
      description: 'the https URL of the uploaded template (Amazon S3), for the whole link',
    },
    output: {
      type: 'string',
      short: 'o',
      valueName: 'file',
      description: 'write the CloudFormation template (JSON) to this file',
    },
    force: { type: 'boolean', description: 'replace an existing --output file' },
  },
  positionals: { min: 0, max: 1 },
  json: true,
  vault: true,
  examples: [
    'bridgekeep aws policy --capabilities eks,s3',
    'bridgekeep aws policy prod-aws --capabilities eks   # what narrowing to EKS changes',
    'bridgekeep aws policy --capabilities eks,ecr --cross-account \\',
    '    --principal arn:aws:iam::111122223333:role/ci-runner -o bridgekeep-role.json',
  ],
  async run(context, { values, positionals }) {
    const connection =
      positionals[0] === undefined
        ? undefined
        : await awsConnection(context, values, positionals[0])
    const given = stringOption(values, 'capabilities')
    const current = connection ? storedCapabilities(connection.config.capabilities) : undefined
    const chosen =
      given === undefined ? (current ?? [...awsCapabilityIds]) : capabilitiesOption(given, COMMAND)
    const diff = current && given !== undefined ? policyDiff(current, chosen) : undefined
    const crossAccount = flag(values, 'cross-account') || connection?.authMode === 'cross-account'
    const output = stringOption(values, 'output')
    if (!crossAccount) refuseCrossAccountOptions(values)
    if (flag(values, 'force') && output === undefined)
      throw new UsageError('--force replaces an --output file: give one.', COMMAND)
    const policies = generatePolicies(chosen)
    const setup = crossAccount ? roleSetup(values, chosen, connection) : undefined
    const path = output === undefined ? undefined : resolve(context.io.cwd, output)
    if (path !== undefined && setup) {
      const template = roleTemplate(chosen, { requireMfa: setup.requireMfa })
      await claimOutput(path, 'Nothing was written.', { replace: flag(values, 'force') }).write(
        `${JSON.stringify(template, null, 2)}\n`,
      )
    }
    if (context.json)
      return writeJson(context.io.stdout, {
        capabilities: chosen,
        policies,
        ...(diff ? { diff } : {}),
        ...(setup
          ? {
              crossAccount: { ...setup, trustPolicy: trustPolicyOf(setup), template: path ?? null },
            }
          : {}),
      })
    const text = [
      ...(diff ? diffText(diff, connection!.slug, chosen) : []),
      ...policiesText(chosen, policies),
      ...(setup ? crossAccountText(setup, trustPolicyOf(setup), path, connection?.slug) : []),
    ]
    context.io.stdout.write(`${printable(text.join('\n'), { multiline: true })}\n`)
  },
}

interface AwsConnection {
  slug: string
  authMode: string
  config: Record<string, string>
}

async function awsConnection(
  context: Parameters<CommandSpec['run']>[0],
  values: OptionValues,
  ref: string,
): Promise<AwsConnection> {
  const { detail } = await fromVault(context, values, { op: 'show', ref })
  if (detail.provider !== 'aws')
    throw new BridgekeepError(
      'VALIDATION',
      `${detail.name} is a ${detail.provider} connection; IAM policies are for AWS connections.`,
      'Name an AWS connection, or leave it out and give --capabilities.',
    )
  return { slug: detail.slug, authMode: detail.authMode, config: detail.config }
}

function refuseCrossAccountOptions(values: OptionValues) {
  const only = ['principal', 'external-id', 'mfa', 'region', 'template-url', 'stack-name', 'output']
  const given = only.filter((name) => values[name] !== undefined)
  if (given.length > 0)
    throw new UsageError(
      `${given.map((name) => `--${name}`).join(', ')} describe${given.length === 1 ? 's' : ''} a role to assume: add --cross-account (and --principal).`,
      COMMAND,
    )
}

/** Everything the trust policy, the template and the link need, from options and connection. */
function roleSetup(
  values: OptionValues,
  capabilities: AwsCapabilityId[],
  connection: AwsConnection | undefined,
): RoleSetup {
  const principalText = stringOption(values, 'principal')
  if (principalText === undefined)
    throw new UsageError(
      '--principal is required with --cross-account: the ARN of the IAM user or role Bridgekeep acts as (aws sts get-caller-identity shows it).',
      COMMAND,
    )
  const principal = parsePrincipal(principalText)
  if (!principal.ok) throw new UsageError(`--principal ${principal.problem}`, COMMAND)
  const givenId = stringOption(values, 'external-id')
  const storedId = connection?.config.external_id
  const externalId =
    givenId === undefined ? storedId : fieldValue('external_id', givenId, '--external-id')
  const region = fieldValue(
    'default_region',
    stringOption(values, 'region') ?? connection?.config.default_region ?? 'us-east-1',
    '--region',
  )
  return {
    capabilities,
    principal: principal.arn,
    externalId: externalId ?? newExternalId(),
    externalIdGenerated: externalId === undefined,
    requireMfa: flag(values, 'mfa'),
    region,
    stackName: stackName(stringOption(values, 'stack-name')),
    templateUrl: templateUrl(stringOption(values, 'template-url')),
  }
}

/** Checked as the connection's own field is, so what is printed can be saved as it is. */
function fieldValue(key: string, value: string, option: string): string {
  const parsed = aws.fields.find((field) => field.key === key)!.schema.safeParse(value)
  if (!parsed.success)
    throw new UsageError(`${option}: ${parsed.error.issues[0]?.message}`, COMMAND)
  return parsed.data
}

function stackName(value: string | undefined): string | undefined {
  if (value === undefined || /^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(value)) return value
  throw new UsageError(
    '--stack-name: a stack name starts with a letter and has up to 128 letters, digits and hyphens.',
    COMMAND,
  )
}

function templateUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (url?.protocol !== 'https:')
    throw new UsageError(
      '--template-url must be the https URL of the uploaded template, e.g. https://my-bucket.s3.eu-west-1.amazonaws.com/bridgekeep-role.json.',
      COMMAND,
    )
  return url.href
}

const trustPolicyOf = (setup: RoleSetup) =>
  trustPolicy({
    principal: setup.principal,
    externalId: setup.externalId,
    requireMfa: setup.requireMfa,
  })

export default awsPolicy
