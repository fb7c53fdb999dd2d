import { flag, stringOption, type CommandSpec } from '../framework/command'
import { printable, writeJson } from '../framework/output'

const envAdd: CommandSpec = {
  usage: '<name> [options]',
  description:
    'Creates an environment (a column of the matrix), last in the order, with the same rules as the app: the name is unique in any case, the slug is made from the name unless given, and the colour is the next unused one unless given.',
  options: {
    slug: {
      type: 'string',
      valueName: 'slug',
      description:
        'its slug (lowercase letters, digits and hyphens); made from the name if left out',
    },
    color: { type: 'string', valueName: '#rrggbb', description: 'its colour in the app' },
    description: { type: 'string', valueName: 'text', description: 'what it is for' },
    protected: {
      type: 'boolean',
      description: 'changes to its authorizations, and deleting it, need confirming (--yes)',
    },
  },
  positionals: { min: 1, max: 1 },
  json: true,
  vault: true,
  examples: [
    'bridgekeep env add qa',
    'bridgekeep env add "Pre-prod (EU)" --slug preprod-eu --protected --description "EU release candidates"',
  ],
  async run(context, { values, positionals }) {
    const services = await context.services()
    const slug = stringOption(values, 'slug')
    const color = stringOption(values, 'color')
    const description = stringOption(values, 'description')
    const env = services.environments.create({
      name: positionals[0]!,
      ...(slug === undefined ? {} : { slug }),
      ...(color === undefined ? {} : { color }),
      ...(description === undefined ? {} : { description }),
      protected: flag(values, 'protected'),
    })
    if (context.json) return writeJson(context.io.stdout, env)
    context.io.stdout.write(
      `${printable(`Created environment ${env.name} (slug ${env.slug}${env.protected ? ', protected' : ''}).`)}\n`,
    )
  },
}

export default envAdd
