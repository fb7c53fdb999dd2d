import { isBridgekeepError } from '../shared/errors'
import type { CommandSpec } from './framework/command'
import { confirmationRequired } from './framework/errors'
import { printable, writeJson } from './framework/output'

/**
 * `authorize` and `revoke`: one grant or revoke as a change set of AuthorizationsService (audited,
 * undoable in the app). A protected environment needs --yes; without it nothing changes and the
 * error names the change.
 */
export function authorizationCommand(kind: 'grant' | 'revoke'): CommandSpec {
  const verb = kind === 'grant' ? 'authorize' : 'revoke'
  return {
    usage: '<conn> <env> [options]',
    description:
      kind === 'grant'
        ? 'Lets <conn> (slug or name) be used in <env> (slug or name). Protected environments (such as production) need --yes.'
        : 'Stops <conn> (slug or name) from being used in <env> (slug or name); a default pointing at it there is cleared. Protected environments need --yes.',
    options: {
      yes: {
        type: 'boolean',
        short: 'y',
        description: 'confirm a change to a protected environment',
      },
    },
    positionals: { min: 2, max: 2 },
    json: true,
    vault: true,
    examples: [
      `bridgekeep ${verb} prod-aws staging`,
      `bridgekeep ${verb} prod-aws production --yes`,
    ],
    async run(context, { values, positionals }) {
      const services = await context.services()
      const connection = services.connections.findByRef(positionals[0]!)
      const env = services.environments.findByRef(positionals[1]!)
      const pair = { connectionId: connection.id, environmentId: env.id }
      let result
      try {
        result = services.authorizations.applyChanges({
          [kind === 'grant' ? 'grants' : 'revokes']: [pair],
          confirmProtected: values.yes === true,
        })
      } catch (error) {
        if (isBridgekeepError(error) && error.code === 'CONFIRMATION_REQUIRED') {
          throw confirmationRequired(
            `${env.name} is protected: to ${kind} ${connection.name} there, confirm it with --yes.`,
            `${verb} ${connection.slug} ${env.slug}`,
          )
        }
        throw error
      }
      const changed = kind === 'grant' ? result.granted > 0 : result.revoked > 0
      if (context.json)
        return writeJson(context.io.stdout, {
          connection: { id: connection.id, name: connection.name, slug: connection.slug },
          environment: { id: env.id, name: env.name, slug: env.slug },
          changed,
          ...result,
        })
      const message = changed
        ? kind === 'grant'
          ? `Authorized ${connection.name} for ${env.name}.`
          : `Revoked ${connection.name} for ${env.name}${result.defaultsCleared ? ' (its default there was cleared)' : ''}.`
        : kind === 'grant'
          ? `${connection.name} was already authorized for ${env.name}; nothing changed.`
          : `${connection.name} was not authorized for ${env.name}; nothing changed.`
      context.io.stdout.write(`${printable(message)}\n`)
    },
  }
}
