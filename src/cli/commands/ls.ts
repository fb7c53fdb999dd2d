import { getProvider } from '../../shared/providers'
import { stringOption, stringsOption, type CommandSpec } from '../framework/command'
import { list, table, when, writeJson } from '../framework/output'
import { environmentsByConnection } from '../lookup'

const ls: CommandSpec = {
  usage: '[options]',
  description:
    'Lists the live connections (not the trash) with the environments each is authorized for. Secrets are never shown.',
  options: {
    provider: {
      type: 'string',
      valueName: 'id',
      description: 'only this provider (aws, gcp, github...)',
    },
    env: {
      type: 'string',
      valueName: 'env',
      description: 'only connections authorized for this environment',
    },
    label: {
      type: 'string',
      valueName: 'label',
      multiple: true,
      description: 'only connections with this label',
    },
  },
  positionals: { min: 0, max: 0 },
  json: true,
  vault: true,
  examples: ['bridgekeep ls --provider aws --env production', 'bridgekeep ls --json'],
  async run(context, { values }) {
    const services = await context.services()
    const provider = stringOption(values, 'provider')?.trim().toLowerCase()
    const envRef = stringOption(values, 'env')
    const labels = stringsOption(values, 'label').map((label) => label.trim().toLowerCase())
    const envName = envRef === undefined ? undefined : services.environments.findByRef(envRef).name
    const environments = environmentsByConnection(services)
    const rows = services.connections
      .list()
      .map((connection) => ({ ...connection, environments: environments.get(connection.id) ?? [] }))
      .filter((row) => provider === undefined || row.provider === provider)
      .filter((row) => envName === undefined || row.environments.includes(envName))
      .filter((row) => labels.every((label) => row.labels.some((l) => l.toLowerCase() === label)))
    if (context.json) {
      return writeJson(
        context.io.stdout,
        rows.map((row) => ({
          id: row.id,
          name: row.name,
          slug: row.slug,
          provider: row.provider,
          authMode: row.authMode,
          labels: row.labels,
          environments: row.environments,
          lastUsedAt: row.lastUsedAt ?? null,
        })),
      )
    }
    if (rows.length === 0) {
      context.io.stderr.write(
        provider || envName || labels.length ? 'No connection matches.\n' : 'No connections yet.\n',
      )
      return
    }
    context.io.stdout.write(
      table(rows, [
        { header: 'NAME', value: (row) => row.name },
        { header: 'SLUG', value: (row) => row.slug },
        { header: 'PROVIDER', value: (row) => getProvider(row.provider)?.id ?? row.provider },
        { header: 'AUTH', value: (row) => row.authMode },
        { header: 'ENVIRONMENTS', value: (row) => list(row.environments) },
        { header: 'LAST USED', value: (row) => when(row.lastUsedAt) },
      ]),
    )
  },
}

export default ls
