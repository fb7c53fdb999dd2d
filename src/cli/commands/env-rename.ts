import { environmentUpdateSchema } from '../../shared/environments'
import { parseInput } from '../../shared/validation'
import { stringOption, type CommandSpec } from '../framework/command'
import { printable, writeJson } from '../framework/output'

const envRename: CommandSpec = {
  usage: '<env> <new-name> [options]',
  description:
    'Renames <env> (slug or name). Its authorizations and defaults stay, and so does its slug (scripts use it) unless --slug gives a new one. The new name must not be taken by another environment, in any case.',
  options: {
    slug: { type: 'string', valueName: 'slug', description: 'a new slug as well' },
  },
  positionals: { min: 2, max: 2 },
  json: true,
  vault: true,
  examples: ['bridgekeep env rename qa "QA (shared)"', 'bridgekeep env rename qa test --slug test'],
  async run(context, { values, positionals }) {
    const services = await context.services()
    const before = services.environments.findByRef(positionals[0]!)
    const slug = stringOption(values, 'slug')
    // The app's dispatcher parses this input with the same schema before the service sees it.
    const patch = parseInput(environmentUpdateSchema, {
      id: before.id,
      name: positionals[1]!,
      ...(slug === undefined ? {} : { slug }),
    })
    const after = services.environments.update(patch)
    if (context.json) return writeJson(context.io.stdout, after)
    const changed = after.name !== before.name || after.slug !== before.slug
    context.io.stdout.write(
      `${printable(
        changed
          ? `Renamed ${before.name} to ${after.name} (slug ${after.slug}).`
          : `${before.name} already has that name; nothing changed.`,
      )}\n`,
    )
  },
}

export default envRename
