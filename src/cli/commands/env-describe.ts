import { environmentUpdateSchema } from '../../shared/environments'
import { parseInput } from '../../shared/validation'
import type { CommandSpec } from '../framework/command'
import { printable, writeJson } from '../framework/output'

const envDescribe: CommandSpec = {
  usage: '<env> <text> [options]',
  description:
    "Sets the description of <env> (slug or name), shown in the app and in 'bridgekeep env ls'. An empty <text> clears it.",
  options: {},
  positionals: { min: 2, max: 2 },
  json: true,
  vault: true,
  examples: [
    'bridgekeep env describe staging "Shared staging, reset every Monday"',
    'bridgekeep env describe staging ""',
  ],
  async run(context, { positionals }) {
    const services = await context.services()
    const env = services.environments.findByRef(positionals[0]!)
    // The app's dispatcher parses this input with the same schema before the service sees it.
    const patch = parseInput(environmentUpdateSchema, {
      id: env.id,
      description: positionals[1]!,
    })
    const after = services.environments.update(patch)
    if (context.json) return writeJson(context.io.stdout, after)
    context.io.stdout.write(
      `${printable(
        after.description === env.description
          ? `${env.name} already has that description; nothing changed.`
          : after.description
            ? `Described ${env.name}.`
            : `Cleared the description of ${env.name}.`,
      )}\n`,
    )
  },
}

export default envDescribe
