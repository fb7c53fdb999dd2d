import { listNames, plural } from '../../shared/wording'
import type { CommandSpec } from '../framework/command'
import { confirmationRequired } from '../framework/errors'
import { printable, writeJson } from '../framework/output'

/** Connection names spelled out before "and N more", as the service's messages do. */
const NAMES_IN_MESSAGE = 10

const envRm: CommandSpec = {
  usage: '<env> --yes [options]',
  description:
    'Deletes <env> (slug or name) with its authorizations and defaults; the connections themselves stay. This cannot be undone, so it needs --yes, as the app asks to confirm it: without --yes nothing changes and the error names the authorizations that would go with it.',
  options: {
    yes: {
      type: 'boolean',
      short: 'y',
      description:
        'confirm deleting it, its authorizations and defaults (and that it is protected)',
    },
  },
  positionals: { min: 1, max: 1 },
  json: true,
  vault: true,
  examples: ['bridgekeep env rm qa', 'bridgekeep env rm qa --yes'],
  async run(context, { values, positionals }) {
    const services = await context.services()
    const env = services.environments.findByRef(positionals[0]!)
    if (values.yes !== true) {
      const { authorizations, defaults } = services.environments.deletionImpact(env.id)
      const losing = [
        ...(authorizations.length > 0
          ? [
              `${plural(authorizations.length, 'authorization')} (${listNames(authorizations, NAMES_IN_MESSAGE)})`,
            ]
          : []),
        ...(defaults > 0 ? [plural(defaults, 'default')] : []),
      ]
      throw confirmationRequired(
        `Deleting environment ${env.name}${env.protected ? ', which is protected,' : ''} cannot be undone${
          losing.length ? `; it removes ${losing.join(' and ')}` : ''
        }.`,
        `env rm ${env.slug}`,
      )
    }
    // What the app's dialog sends once confirmed.
    const result = services.environments.delete({
      id: env.id,
      force: true,
      confirmProtected: true,
    })
    if (context.json)
      return writeJson(context.io.stdout, {
        id: env.id,
        name: env.name,
        slug: env.slug,
        ...result,
      })
    const removed = [
      ...(result.removedAuthorizations
        ? [plural(result.removedAuthorizations, 'authorization')]
        : []),
      ...(result.removedDefaults ? [plural(result.removedDefaults, 'default')] : []),
    ]
    context.io.stdout.write(
      `${printable(`Deleted ${env.name}${removed.length ? ` and its ${removed.join(' and ')}` : ''}.`)}\n`,
    )
  },
}

export default envRm
