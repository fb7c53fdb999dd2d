import { providerRunner } from '../main/services/issued-sessions/runner-issue'
import type { CommandContext } from './framework/command'
import { keyValues, printable, writeJson } from './framework/output'

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
  const out = context.io.stdout
  const rows: [string, string][] = []
  if (check.roleArn) rows.push(['Role', check.roleArn])
  if (check.stackStatus)
    rows.push(['Stack', `${'stackName' in source ? source.stackName : ''} (${check.stackStatus})`])
  if (check.assumedArn) rows.push(['Assumed as', check.assumedArn])
  rows.push([
    'Saved',
    check.saved ? `yes, as ${connection.slug}'s role` : 'no: nothing was changed',
  ])
  out.write(keyValues(rows))
  if (check.problem)
    out.write(`\n${printable(check.problem.message)}\n${printable(check.problem.remedy)}\n`)
  if (!check.saved && check.roleArn)
    out.write(
      `\nTo save it without a passing check: bridgekeep aws reconnect ${connection.slug} --role-arn ${check.roleArn} --save-anyway\n`,
    )
  for (const warning of check.warnings ?? []) out.write(`\nWarning: ${printable(warning)}\n`)
  // Saved anyway is what was asked for; a check that saved nothing is a failure.
  return check.saved ? 0 : 1
}
