import { getProvider } from '../../shared/providers'
import { stringOption, stringsOption, type CommandSpec } from '../framework/command'
import { list, table, when, writeJson } from '../framework/output'
import { fromVault } from '../from-vault'

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
    const provider = stringOption(values, 'provider')
    const env = stringOption(values, 'env')
    const labels = stringsOption(values, 'label')
    const rows = await fromVault(context, values, {
      op: 'ls',
      ...(provider === undefined ? {} : { provider }),
      ...(env === undefined ? {} : { env }),
      labels,
    })
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
        provider?.trim() || env || labels.length
          ? 'No connection matches.\n'
          : 'No connections yet.\n',
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
