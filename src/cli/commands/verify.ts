import { getProvider } from '../../shared/providers'
import { SECRET_VARIABLES } from '../../shared/secret-variables'
import { stringOption, type CommandSpec } from '../framework/command'
import { printable, table, writeJson } from '../framework/output'
import { connectionArgument } from '../connection-argument'
import { fromVault } from '../from-vault'
import { givenMfaCode, MFA_CODE_OPTION } from '../mfa-prompt'
import { parseMfaCode } from '../../main/services/issued-sessions/mfa-code'

const verify: CommandSpec = {
  usage: '[<conn> | connection://<env>/<conn>...] [options]',
  description: [
    "Proves each connection against its service with the provider's official SDK (AWS STS GetCallerIdentity, a Google or Azure token, the API's user endpoint, SELECT 1...) and prints the identity it proved, or why it failed and what to do. Without <conn>, verifies every connection.",
    "A verify is a use: the connection must be authorized for the environment (by default the first one, unprotected environments first, that authorizes it). Results are stored as the app's Health section shows them (last verified; a check does not change Last used), and audited. The runner's operations run in this process, so the app need not be open; a connection whose Runner field names a remote runner is checked by that runner, through the app (which must be open).",
    `An AWS connection whose role requires MFA (its own, or the one it borrows) is checked with the role assumed only when a code is given with --mfa-code or ${SECRET_VARIABLES.mfaCode}; otherwise its base key is proved and the result says why. STS takes a code once, so it serves the first connection that needs one; any other that needs one is refused: verify it on its own with a fresh code. verify does not ask on the terminal (it checks several connections at once).`,
    'Exits 0 when every connection verified is healthy, 1 when any is failing or was refused.',
  ].join('\n\n'),
  options: {
    env: {
      type: 'string',
      valueName: 'env',
      description: 'resolve in this environment (slug or name) instead of the first authorized one',
    },
    'mfa-code': {
      ...MFA_CODE_OPTION,
      description: `the 6-digit code of the MFA device of a connection whose role requires MFA (or ${SECRET_VARIABLES.mfaCode})`,
    },
  },
  positionals: { min: 0, max: 1000 },
  json: true,
  vault: true,
  examples: [
    'bridgekeep verify prod-aws',
    'bridgekeep verify prod-aws --env staging',
    'bridgekeep verify connection://production/prod-aws connection://staging/app-db',
    'bridgekeep verify --json',
    'bridgekeep verify prod-admin --mfa-code 123456',
  ],
  async run(context, { values, positionals }) {
    const env = stringOption(values, 'env')
    // Each may carry its own environment; a malformed one is refused before anything runs.
    for (const ref of positionals) connectionArgument(ref, env, 'verify')
    // Checked before anything runs: verify is not asked again for a code it cannot use.
    const given = givenMfaCode(context.io, values)
    if (given !== undefined) parseMfaCode(given.value, given.where)
    const results = await fromVault(
      context,
      values,
      { op: 'verify', refs: positionals, ...(env === undefined ? {} : { env }) },
      {
        progress: positionals.length
          ? `Verifying ${positionals.length} connection${positionals.length === 1 ? '' : 's'}…`
          : 'Verifying every connection…',
      },
    )

    const allHealthy = results.every((result) => result.health?.status === 'healthy')
    if (context.json) {
      writeJson(
        context.io.stdout,
        results.map((result) => ({
          name: result.name,
          provider: result.provider,
          ...(result.health ?? { status: 'refused', refused: result.refused }),
        })),
      )
      return allHealthy ? 0 : 1
    }
    if (results.length === 0) {
      context.io.stdout.write(
        'No connections to verify. Add one in the app or with bridgekeep add.\n',
      )
      return 0
    }
    context.io.stdout.write(
      table(results, [
        { header: 'NAME', value: (r) => r.name },
        { header: 'PROVIDER', value: (r) => getProvider(r.provider)?.label ?? r.provider },
        {
          header: 'STATUS',
          value: (r) => (r.health ? r.health.status : 'refused'),
        },
        { header: 'ENVIRONMENT', value: (r) => r.health?.environmentName ?? '' },
        {
          header: 'LATENCY',
          align: 'right',
          value: (r) =>
            r.health?.latencyMs === undefined ? '' : `${Math.round(r.health.latencyMs)} ms`,
        },
        {
          header: 'IDENTITY OR PROBLEM',
          value: (r) => r.refused ?? r.health?.identity?.label ?? r.health?.error?.message ?? '',
        },
      ]),
    )
    // What to do about each failure, in full (the table keeps one line per connection).
    // A provider's message can quote what its service answered: printable, like the names.
    for (const result of results) {
      const name = printable(result.name)
      const problem = result.health?.error
      if (problem)
        context.io.stdout.write(
          `\n${name}: ${printable(problem.message)}\n  ${printable(problem.remedy)}\n`,
        )
      for (const warning of result.health?.warnings ?? [])
        context.io.stdout.write(`\n${name}: ${printable(warning.message)}\n`)
    }
    return allHealthy ? 0 : 1
  },
}

export default verify
