import type { CommandSpec } from '../framework/command'
import { table, writeJson } from '../framework/output'
import { fromVault } from '../from-vault'

const envLs: CommandSpec = {
  usage: '[options]',
  description:
    'Lists the environments in matrix order. Changes to a protected environment need --yes.',
  options: {},
  positionals: { min: 0, max: 0 },
  json: true,
  vault: true,
  async run(context, { values }) {
    const environments = await fromVault(context, values, { op: 'env-ls' })
    if (context.json) return writeJson(context.io.stdout, environments)
    context.io.stdout.write(
      table(environments, [
        { header: 'NAME', value: (env) => env.name },
        { header: 'SLUG', value: (env) => env.slug },
        { header: 'PROTECTED', value: (env) => (env.protected ? 'yes' : 'no') },
        { header: 'CONNECTIONS', value: (env) => String(env.authorizedCount), align: 'right' },
        { header: 'DESCRIPTION', value: (env) => env.description || '-' },
      ]),
    )
  },
}

export default envLs
