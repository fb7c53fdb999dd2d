import { parseInput } from '../../shared/validation'
import { setDefaultSchema } from '../../shared/environments'
import { stringOption, type CommandSpec } from '../framework/command'
import { UsageError } from '../framework/errors'
import { printable, writeJson } from '../framework/output'

const defaultSet: CommandSpec = {
  usage: '<conn> --env <env> [options]',
  description:
    "Makes <conn> (slug or name) the default connection of its provider in <env>: the one resolution, exec and credential-process use there when several connections of that provider are authorized. It must be authorized for <env>. A default is per provider and environment, as in the app's matrix.",
  options: {
    env: {
      type: 'string',
      valueName: 'env',
      description: 'the environment (slug or name) it becomes the default in',
    },
  },
  positionals: { min: 1, max: 1 },
  json: true,
  vault: true,
  examples: ['bridgekeep default set prod-aws --env production'],
  async run(context, { values, positionals }) {
    const envRef = stringOption(values, 'env')
    if (envRef === undefined) throw new UsageError('missing option: --env <env>', 'default set')
    const services = await context.services()
    const connection = services.connections.findByRef(positionals[0]!)
    const env = services.environments.findByRef(envRef)
    const before = services.environments
      .defaults()
      .find((d) => d.environmentId === env.id && d.provider === connection.provider)
    // The app's dispatcher parses this input with the same schema before the service sees it.
    const result = services.environments.setDefault(
      parseInput(setDefaultSchema, {
        environmentId: env.id,
        provider: connection.provider,
        connectionId: connection.id,
      }),
    )
    const changed = before?.connectionId !== connection.id
    if (context.json)
      return writeJson(context.io.stdout, {
        environment: { id: env.id, name: env.name, slug: env.slug },
        provider: result.provider,
        connection: { id: connection.id, name: connection.name, slug: connection.slug },
        changed,
      })
    context.io.stdout.write(
      `${printable(
        changed
          ? `${connection.name} is now the default ${result.provider} connection in ${env.name}.`
          : `${connection.name} was already the default ${result.provider} connection in ${env.name}; nothing changed.`,
      )}\n`,
    )
  },
}

export default defaultSet
