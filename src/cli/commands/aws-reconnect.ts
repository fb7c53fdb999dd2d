import { resolve } from 'node:path'
import { awsCapabilityIds, storedCapabilities } from '../../shared/aws/capabilities'
import { DEFAULT_STACK_NAME, roleTemplate } from '../../shared/aws/cloudformation'
import { generatePolicies, policyDiff } from '../../shared/aws/iam-policy'
import { updateStackCommand } from '../../shared/aws/stack-commands'
import { connectionUpdateSchema } from '../../shared/connections'
import { BridgekeepError } from '../../shared/errors'
import { parseInput } from '../../shared/validation'
import { saveRole, stackNameOption } from '../aws-save-role'
import { capabilitiesOption } from '../aws-capabilities-option'
import { diffLines, policiesText } from '../aws-role-text'
import { flag, stringOption, type CommandSpec } from '../framework/command'
import { confirmationRequired, UsageError } from '../framework/errors'
import { claimOutput } from '../framework/files'
import { printable, writeJson } from '../framework/output'

const COMMAND = 'aws reconnect'

const awsReconnect: CommandSpec = {
  usage:
    '<conn> (--capabilities <ids> [--yes] [-o <template.json>] [--force] | --stack-name <stack> [--save-anyway] | --role-arn <arn> [--save-anyway])',
  description: [
    'Changes what an AWS connection may be used for, keeping the connection (its id, environments',
    'and history): shows what the new capabilities grant and take away in its IAM policy, and',
    'with --yes saves them (audited as an update) and prints the updated policy. For a',
    'cross-account connection -o writes the updated CloudFormation template and the command that',
    'updates the stack in place (the role and its ARN stay). Without --yes nothing is changed.',
    '',
    "With --stack-name (or --role-arn) it saves a cross-account connection's role instead: reads",
    "the ARN from the stack's RoleArn output (with the identity that assumes the role; the stack",
    "in the connection's default region), assumes it with the external ID, and saves it only if",
    'that worked; --save-anyway saves a pasted or read ARN even when the check fails.',
  ].join('\n'),
  options: {
    capabilities: {
      type: 'string',
      valueName: 'ids',
      description: `the new capabilities, comma-separated (${awsCapabilityIds.join(', ')})`,
    },
    yes: { type: 'boolean', short: 'y', description: 'confirm the change shown' },
    output: {
      type: 'string',
      short: 'o',
      valueName: 'file',
      description: 'write the updated CloudFormation template (cross-account connections)',
    },
    force: { type: 'boolean', description: 'replace an existing --output file' },
    'stack-name': {
      type: 'string',
      valueName: 'stack',
      description: `read the role from this stack's outputs, check it and save it (${DEFAULT_STACK_NAME} by default in the app)`,
    },
    'role-arn': { type: 'string', valueName: 'arn', description: 'check this role and save it' },
    'save-anyway': {
      type: 'boolean',
      description: 'save the role even if assuming it fails (with --stack-name or --role-arn)',
    },
  },
  positionals: { min: 1, max: 1 },
  json: true,
  vault: true,
  examples: [
    'bridgekeep aws reconnect prod-aws --capabilities eks,ecr          # shows the change',
    'bridgekeep aws reconnect prod-aws --capabilities eks,ecr --yes -o bridgekeep-role.json',
    `bridgekeep aws reconnect prod-aws --stack-name ${DEFAULT_STACK_NAME}          # reads, checks, saves the role`,
  ],
  async run(context, { values, positionals }) {
    const given = stringOption(values, 'capabilities')
    const stackName = stackNameOption(values, COMMAND)
    const roleArn = stringOption(values, 'role-arn')
    if (stackName !== undefined || roleArn !== undefined) {
      if (given !== undefined || (stackName !== undefined && roleArn !== undefined))
        throw new UsageError(
          'give either --stack-name or --role-arn, and change --capabilities in a call of its own.',
          COMMAND,
        )
      return saveRole(
        context,
        positionals[0]!,
        stackName !== undefined ? { stackName } : { roleArn: roleArn! },
        flag(values, 'save-anyway'),
      )
    }
    if (flag(values, 'save-anyway'))
      throw new UsageError('--save-anyway goes with --stack-name or --role-arn.', COMMAND)
    if (given === undefined)
      throw new UsageError(
        `--capabilities is required: the ones the connection keeps (${awsCapabilityIds.join(', ')}).`,
        COMMAND,
      )
    const chosen = capabilitiesOption(given, COMMAND)
    const output = stringOption(values, 'output')
    if (flag(values, 'force') && output === undefined)
      throw new UsageError('--force replaces an --output file: give one.', COMMAND)
    const services = await context.services()
    const before = services.connections.get(services.connections.findByRef(positionals[0]!).id)
    if (before.provider !== 'aws')
      throw new BridgekeepError(
        'VALIDATION',
        `${before.name} is a ${before.provider} connection; capabilities are for AWS connections.`,
        'Name an AWS connection (bridgekeep ls shows them).',
      )
    const crossAccount = before.authMode === 'cross-account'
    if (output !== undefined && !crossAccount)
      throw new UsageError(
        `-o writes the template of a role to assume; ${before.slug} is not cross-account. The policy is printed.`,
        COMMAND,
      )
    const diff = policyDiff(storedCapabilities(before.config.capabilities), chosen)
    const changes = diffLines(diff, before.slug)
    const unchanged = diff.addedCapabilities.length + diff.removedCapabilities.length === 0
    if (!unchanged && !flag(values, 'yes')) {
      if (!context.json) context.io.stdout.write(`${printable(changes.join('\n'))}\n`)
      const again = [`aws reconnect ${before.slug} --capabilities ${chosen.join(',')}`]
      if (output !== undefined) again.push(`-o ${output}`)
      throw confirmationRequired(
        `Reconnecting ${before.name} changes what its IAM policy grants${context.json ? '' : ', as shown above'}.`,
        again.join(' '),
      )
    }
    const path = output === undefined ? undefined : resolve(context.io.cwd, output)
    const file =
      path === undefined
        ? undefined
        : claimOutput(path, 'Nothing was changed.', { replace: flag(values, 'force') })
    let after = before
    try {
      if (!unchanged)
        after = services.connections.update(
          parseInput(connectionUpdateSchema, {
            id: before.id,
            values: { capabilities: chosen.join(',') },
          }),
        )
    } catch (error) {
      file?.abandon()
      throw error
    }
    if (file) await file.write(`${JSON.stringify(roleTemplate(chosen), null, 2)}\n`)
    const policies = generatePolicies(chosen)
    if (context.json)
      return writeJson(context.io.stdout, {
        id: after.id,
        slug: after.slug,
        capabilities: chosen,
        changed: !unchanged,
        diff,
        policies,
        template: path ?? null,
      })
    const region = after.config.default_region ?? 'us-east-1'
    const text = [
      ...changes,
      ...(unchanged ? [] : [`Saved: ${after.slug} now has ${chosen.join(', ')}.`]),
      '',
      ...policiesText(chosen, policies),
      ...(path
        ? [
            '',
            `Updated CloudFormation template: ${path}`,
            'Update the stack in place (the role and its ARN stay):',
            ...updateStackCommand({ region }, path).map((line) => `  ${line}`),
          ]
        : crossAccount
          ? ['', 'Give -o <file> for the updated CloudFormation template.']
          : ['', 'Attach the updated policy to the user or role in place of the old one.']),
    ]
    context.io.stdout.write(`${printable(text.join('\n'), { multiline: true })}\n`)
  },
}

export default awsReconnect
