import { connectionDocument, documentsYaml } from '../apply/to-document'
import { connectionArgument } from '../connection-argument'
import { stringOption, type CommandSpec } from '../framework/command'
import { UsageError } from '../framework/errors'
import { writeJson } from '../framework/output'
import { fromVault } from '../from-vault'

const FORMATS = ['yaml', 'json'] as const

const get: CommandSpec = {
  usage: '[<conn>...] [-o yaml|json]',
  description: [
    'Prints connections as the documents bridgekeep apply -f takes (all live connections when none',
    'is named; <conn> is a slug, a name or connection://<env>/<conn>): settings as value, references',
    'as valueFrom, environments by slug. Secret values are never printed: a secret the vault holds',
    'is { stored: true }, which apply on this vault keeps as it is, and refuses where no value is',
    'stored (give it with valueFrom or --secrets-from-stdin there). Applying the output to the same',
    'vault changes nothing.',
  ].join('\n'),
  options: {
    output: {
      type: 'string',
      short: 'o',
      valueName: 'yaml|json',
      description: 'the format (yaml by default; json is one document or a list)',
    },
  },
  positionals: { min: 0, max: 1000 },
  json: true,
  vault: true,
  examples: [
    'bridgekeep get prod-db -o yaml > prod-db.yaml',
    'bridgekeep get connection://production/prod-db -o json',
    'bridgekeep get > all-connections.yaml',
  ],
  async run(context, { values, positionals }) {
    const format = stringOption(values, 'output') ?? (context.json ? 'json' : 'yaml')
    if (!(FORMATS as readonly string[]).includes(format))
      throw new UsageError(`-o takes yaml or json, not "${format}".`, 'get')
    for (const ref of positionals) connectionArgument(ref, undefined, 'get')
    const refs =
      positionals.length > 0
        ? positionals
        : (await fromVault(context, values, { op: 'ls', labels: [] })).map((row) => row.slug)
    const documents = []
    for (const ref of refs) {
      const { detail, environments } = await fromVault(context, values, { op: 'show', ref })
      documents.push(connectionDocument(detail, environments))
    }
    if (documents.length === 0) context.io.stderr.write('No connections.\n')
    if (format === 'json')
      return writeJson(context.io.stdout, positionals.length === 1 ? documents[0] : documents)
    context.io.stdout.write(documentsYaml(documents))
  },
}

export default get
