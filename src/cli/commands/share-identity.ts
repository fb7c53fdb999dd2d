import { stringOption, type CommandSpec } from '../framework/command'
import { keyValues, when, writeJson } from '../framework/output'

const shareIdentity: CommandSpec = {
  usage: '[--name <name>] [options]',
  description: [
    "This vault's share identity: the name recipients see, the share address to give teammates (it holds only public keys), and the fingerprint to compare aloud when they add you.",
    'With --name, changes the name first.',
  ].join('\n\n'),
  options: {
    name: { type: 'string', valueName: 'name', description: 'set the name sent with your shares' },
  },
  positionals: { min: 0, max: 0 },
  json: true,
  vault: true,
  examples: ['bridgekeep share identity', 'bridgekeep share identity --name "Alice (platform)"'],
  async run(context, { values }) {
    const services = await context.services()
    const name = stringOption(values, 'name')
    const identity = await context.progress('Opening your share identity…', () =>
      name === undefined ? services.sharing.identity() : services.sharing.setName({ name }),
    )
    if (context.json) return writeJson(context.io.stdout, identity)
    context.io.stdout.write(
      keyValues([
        ['Name', identity.name],
        ['Fingerprint', identity.fingerprint],
        ['Share address', identity.address],
        ['age recipient', identity.ageRecipient],
        ['Created', when(identity.createdAt)],
      ]),
    )
    context.io.stdout.write(
      '\nGive the share address to teammates; compare the fingerprint aloud when they add you.\n',
    )
  },
}

export default shareIdentity
