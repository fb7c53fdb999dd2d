import type { CommandSpec } from './framework/command'
import { confirmationRequired } from './framework/errors'
import { printable, writeJson } from './framework/output'

/**
 * `env protect` and `env unprotect`. Turning protection off is what the app asks to confirm (its
 * dialog: grants, revokes and deleting will no longer ask), so it needs --yes; turning it on
 * does not.
 */
export function protectionCommand(on: boolean): CommandSpec {
  const verb = on ? 'protect' : 'unprotect'
  return {
    usage: on ? '<env> [options]' : '<env> --yes [options]',
    description: on
      ? 'Protects <env> (slug or name): from then on, granting or revoking a connection there, and deleting it, need confirming (--yes on the command line).'
      : 'Removes the protection of <env> (slug or name): grants, revokes and deleting it will no longer ask for confirmation. Needs --yes, as the app asks to confirm it.',
    options: on
      ? {}
      : {
          yes: {
            type: 'boolean',
            short: 'y',
            description: 'confirm removing the protection',
          },
        },
    positionals: { min: 1, max: 1 },
    json: true,
    vault: true,
    examples: on ? ['bridgekeep env protect staging'] : ['bridgekeep env unprotect staging --yes'],
    async run(context, { values, positionals }) {
      const services = await context.services()
      const env = services.environments.findByRef(positionals[0]!)
      const changed = env.protected !== on
      if (changed && !on && values.yes !== true) {
        throw confirmationRequired(
          `Removing the protection of ${env.name} means granting, revoking and deleting it no longer ask for confirmation.`,
          `env ${verb} ${env.slug}`,
        )
      }
      const after = services.environments.setProtected(env.id, on)
      if (context.json) return writeJson(context.io.stdout, { ...after, changed })
      context.io.stdout.write(
        `${printable(
          changed
            ? `${on ? 'Protected' : 'Removed the protection of'} ${env.name}.`
            : `${env.name} was already ${on ? 'protected' : 'unprotected'}; nothing changed.`,
        )}\n`,
      )
    },
  }
}
