import type { AwsRoleCheck } from '../shared/aws-role-check'
import { stackNameSchema } from '../shared/operations'
import { providerRunner } from '../main/services/issued-sessions/runner-issue'
import { stringOption, type CommandContext, type OptionValues } from './framework/command'
import { UsageError } from './framework/errors'
import { keyValues, printable, writeJson } from './framework/output'

/** `--stack-name`, checked as CloudFormation names stacks (reconnect, add). */
export function stackNameOption(values: OptionValues, command: string): string | undefined {
  const stackName = stringOption(values, 'stack-name')
  if (stackName !== undefined && !stackNameSchema.safeParse(stackName).success)
    throw new UsageError(
      '--stack-name: a stack name starts with a letter and has up to 128 letters, digits and hyphens.',
      command,
    )
  return stackName
}

/**
 * `aws reconnect <conn> --stack-name <stack> | --role-arn <arn> [--save-anyway]`: the role read
 * back from its stack (or pasted), assumed with the external ID through the runner's operations
 * in this process, and saved only then (AwsRoleCheckService, as the app's "Read role from stack").
 */
export async function saveRole(
  context: CommandContext,
  ref: string,
  source: { stackName: string } | { roleArn: string },
  saveAnyway: boolean,
): Promise<number> {
  const services = await context.services()
  const connection = services.connections.findByRef(ref)
  const runner = await providerRunner('aws')()
  const check = await context.progress(`Checking the role of ${connection.name}…`, () =>
    services.awsRoleCheckUsing(runner).check({
      connectionId: connection.id,
      ...source,
      ...(saveAnyway ? { saveAnyway } : {}),
    }),
  )
  if (context.json) {
    writeJson(context.io.stdout, check)
    return check.saved ? 0 : 1
  }
  writeCheck(context, check, 'stackName' in source ? source.stackName : undefined, {
    saved: `yes, as ${connection.slug}'s role`,
    unsaved: 'no: nothing was changed',
    anyway: check.roleArn
      ? `bridgekeep aws reconnect ${connection.slug} --role-arn ${check.roleArn} --save-anyway`
      : undefined,
  })
  // Saved anyway is what was asked for; a check that saved nothing is a failure.
  return check.saved ? 0 : 1
}

/**
 * `bridgekeep add aws --auth-mode cross-account --stack-name <stack> [--save-anyway]`: the role of
 * a connection not added yet, read from its stack and assumed with the form's external ID, the
 * same check as reconnect's. The caller adds the connection (with the role found) only when the
 * check says it may; otherwise this has written why, and nothing was added.
 */
export async function checkNewRole(
  context: CommandContext,
  name: string,
  values: Readonly<Record<string, string>>,
  stackName: string,
  saveAnyway: boolean,
): Promise<AwsRoleCheck> {
  const services = await context.services()
  const runner = await providerRunner('aws')()
  const check = await context.progress(`Checking the role of ${name}…`, () =>
    services.awsRoleCheckUsing(runner).checkNew(values, { stackName }, saveAnyway),
  )
  if (context.json) {
    if (!check.saved) writeJson(context.io.stdout, check)
    return check
  }
  writeCheck(context, check, stackName, {
    saved: 'yes',
    unsaved: 'no: nothing was added',
    anyway: check.roleArn ? 'the same bridgekeep add command with --save-anyway' : undefined,
  })
  return check
}

function writeCheck(
  context: CommandContext,
  check: AwsRoleCheck,
  stackName: string | undefined,
  words: { saved: string; unsaved: string; anyway: string | undefined },
): void {
  const out = context.io.stdout
  const rows: [string, string][] = []
  if (check.roleArn) rows.push(['Role', check.roleArn])
  if (check.stackStatus) rows.push(['Stack', `${stackName ?? ''} (${check.stackStatus})`])
  if (check.assumedArn) rows.push(['Assumed as', check.assumedArn])
  rows.push(['Saved', check.saved ? words.saved : words.unsaved])
  out.write(keyValues(rows))
  if (check.problem)
    out.write(`\n${printable(check.problem.message)}\n${printable(check.problem.remedy)}\n`)
  if (!check.saved && words.anyway)
    out.write(`\nTo save it without a passing check: ${words.anyway}\n`)
  for (const warning of check.warnings ?? []) out.write(`\nWarning: ${printable(warning)}\n`)
}
