import { resolve } from 'node:path'
import type { Services } from '../../main/services'
import { stringOption, type CommandSpec } from '../framework/command'
import { UsageError } from '../framework/errors'
import { whileClaimed, writeFresh } from '../framework/files'
import { keyValues, printable, writeJson } from '../framework/output'

const runnerCredentials: CommandSpec = {
  usage: '(--name <name> | --regenerate <name>) [--label <label>] [--output <file>] [options]',
  description: [
    "Issues credentials for a runner you start yourself, on this machine or another: a client certificate from this vault's CA and an API key, with the address of the app's control listener. The runner dials the app over mutual TLS and serves it while the app is open.",
    'Each runner has a name (1 to 40 lowercase letters, digits and dashes), unique in the vault; several runners can be live at once, and a connection names the one its operations go to. --regenerate NAME issues new credentials for that runner only, keeping its identity: its earlier certificate and API key are revoked at once, and a runner still using them is cut off within a heartbeat. Other runners stay connected.',
    'The file is secret (it holds the private key and the API key): it is written 0600 and never over an existing file. A runner can also read it from BRIDGEKEEP_RUNNER_CREDENTIALS (see bridgekeep runner start).',
    'This command does not listen on the control port itself: the credentials name the port the app listens on (remembered in the vault; chosen now if the app never listened). BRIDGEKEEP_RUNNER_BIND=host[:port] sets the address, as for the app.',
  ].join('\n\n'),
  options: {
    name: {
      type: 'string',
      valueName: 'name',
      description: "the new runner's name, e.g. build-eu (default: remote)",
    },
    label: {
      type: 'string',
      valueName: 'label',
      description: 'a description shown beside the name (default: the name)',
    },
    regenerate: {
      type: 'string',
      valueName: 'name',
      description: "replace that runner's credentials, revoking its earlier ones",
    },
    output: {
      type: 'string',
      short: 'o',
      valueName: 'file',
      description: 'where to write them (default: their suggested name in this folder)',
    },
  },
  positionals: { min: 0, max: 0 },
  json: true,
  vault: true,
  examples: [
    'bridgekeep runner credentials --name build-eu -o build-eu.json',
    'bridgekeep runner credentials --regenerate build-eu -o build-eu.json',
  ],
  async run(context, { values }) {
    const label = stringOption(values, 'label')
    const output = stringOption(values, 'output')
    const name = stringOption(values, 'name')
    const regenerate = stringOption(values, 'regenerate')
    if (name !== undefined && regenerate !== undefined) {
      throw new UsageError(
        'give --name (a new runner) or --regenerate (an existing one), not both.',
      )
    }
    const services = await context.services()
    const { result: issued, claimed } = await whileClaimed(
      output === undefined ? undefined : resolve(context.io.cwd, output),
      'No credentials were issued.',
      () =>
        context.progress('Issuing runner credentials…', () =>
          issue(services, { name: regenerate ?? name, label }, regenerate !== undefined),
        ),
    )
    const path = claimed
      ? await claimed.write(issued.content)
      : await writeFresh(resolve(context.io.cwd, issued.filename), issued.content)
    const endpoint = await services.runner.controlEndpoint()
    const summary = {
      runnerId: issued.runnerId,
      name: issued.name,
      file: path,
      control: endpoint,
      revoked: issued.revoked,
    }
    if (context.json) return writeJson(context.io.stdout, summary)
    context.io.stdout.write(
      keyValues([
        ['Runner', `${issued.name} (${issued.runnerId})`],
        ['Credentials', `${path} (secret: keep it 0600, never commit it)`],
        ['Connects to', `${endpoint.host}:${endpoint.port}, the app's control listener`],
        ...(issued.revoked > 0
          ? [['Revoked', `${issued.revoked} earlier certificate(s) and API key(s)`] as const]
          : []),
      ]),
    )
    context.io.stdout.write(
      `\nStart it with: bridgekeep runner start --credentials ${printable(path)}\n`,
    )
  },
}

async function issue(
  services: Services,
  request: { name?: string; label?: string },
  regenerate: boolean,
) {
  return regenerate
    ? services.runner.regenerateCredentials(request)
    : services.runner.generateCredentials(request)
}

export default runnerCredentials
