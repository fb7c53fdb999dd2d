import { stringOption, type CommandSpec } from '../framework/command'
import { printable, table, writeJson } from '../framework/output'

const defaultLs: CommandSpec = {
  usage: '[options]',
  description:
    'Lists the default connection per provider in each environment (in matrix order), the one used there when several connections of that provider are authorized.',
  options: {
    env: { type: 'string', valueName: 'env', description: 'only this environment (slug or name)' },
  },
  positionals: { min: 0, max: 0 },
  json: true,
  vault: true,
  examples: ['bridgekeep default ls', 'bridgekeep default ls --env production --json'],
  async run(context, { values }) {
    const services = await context.services()
    const envRef = stringOption(values, 'env')
    const only = envRef === undefined ? undefined : services.environments.findByRef(envRef)
    const environments = services.environments.list()
    const connections = new Map(services.connections.list().map((c) => [c.id, c]))
    const defaults = services.environments.defaults()
    const rows = environments
      .filter((env) => !only || env.id === only.id)
      .flatMap((env) =>
        defaults
          .filter((d) => d.environmentId === env.id)
          .sort((a, b) => a.provider.localeCompare(b.provider))
          .map((d) => {
            const connection = connections.get(d.connectionId)
            return {
              environment: { id: env.id, name: env.name, slug: env.slug },
              provider: d.provider,
              connection: {
                id: d.connectionId,
                name: connection?.name ?? null,
                slug: connection?.slug ?? null,
              },
            }
          }),
      )
    if (context.json) return writeJson(context.io.stdout, rows)
    if (rows.length === 0) {
      context.io.stderr.write(
        `No defaults set${only ? ` in ${printable(only.name)}` : ''}. Set one with: bridgekeep default set <conn> --env <env>\n`,
      )
      return
    }
    context.io.stdout.write(
      table(rows, [
        { header: 'ENVIRONMENT', value: (row) => row.environment.name },
        { header: 'PROVIDER', value: (row) => row.provider },
        { header: 'CONNECTION', value: (row) => row.connection.name ?? '(in the trash)' },
        { header: 'SLUG', value: (row) => row.connection.slug ?? '-' },
      ]),
    )
  },
}

export default defaultLs
