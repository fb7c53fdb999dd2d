import { resolve } from 'node:path'
import type { Services } from '../../main/services'
import { isBridgekeepError, BridgekeepError } from '../../shared/errors'
import { flag, stringOption, type CommandSpec } from '../framework/command'
import { whileClaimed, writeFresh } from '../framework/files'
import { keyValues, printable, writeJson } from '../framework/output'

const runnerCredentials: CommandSpec = {
  usage: '[--label <label>] [--regenerate] [--output <file>] [options]',
  description: [
    "Issues credentials for a runner you start yourself, on this machine or another: a client certificate from this vault's CA and an API key, with the address of the app's control listener. The runner dials the app over mutual TLS and serves it while the app is open.",
    'The file is secret (it holds the private key and the API key): it is written 0600 and never over an existing file. One set of credentials is live at a time; --regenerate issues new ones and revokes every earlier certificate and key.',
    'This command does not listen on the control port itself: the credentials name the port the app listens on (remembered in the vault; chosen now if the app never listened). BRIDGEKEEP_RUNNER_BIND=host[:port] sets the address, as for the app.',
  ].join('\n\n'),
  options: {
    label: {
      type: 'string',
      valueName: 'label',
      description: 'what to call the runner, e.g. "build-server" (default: Remote runner)',
    },
    regenerate: {
      type: 'boolean',
      description: 'replace the live credentials, revoking the earlier ones',
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
    'bridgekeep runner credentials --label build-server -o runner.json',
    'bridgekeep runner credentials --regenerate -o runner.json',
  ],
  async run(context, { values }) {
    const label = stringOption(values, 'label')
    const output = stringOption(values, 'output')
    const services = await context.services()
    const { result: issued, claimed } = await whileClaimed(
      output === undefined ? undefined : resolve(context.io.cwd, output),
      'No credentials were issued.',
      () =>
        context.progress('Issuing runner credentials…', () =>
          issue(services, label, flag(values, 'regenerate')),
        ),
    )
    const path = claimed
      ? await claimed.write(issued.content)
      : await writeFresh(resolve(context.io.cwd, issued.filename), issued.content)
    const endpoint = await services.runner.controlEndpoint()
    const summary = {
      runnerId: issued.runnerId,
      file: path,
      control: endpoint,
      revoked: issued.revoked,
    }
    if (context.json) return writeJson(context.io.stdout, summary)
    context.io.stdout.write(
      keyValues([
        ['Runner', `${label ?? 'Remote runner'} (${issued.runnerId})`],
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

/** The service's refusal of a second set points at the app's button; here it is a flag. */
async function issue(services: Services, label: string | undefined, regenerate: boolean) {
  if (regenerate) return services.runner.regenerateCredentials({ label })
  try {
    return await services.runner.generateCredentials({ label })
  } catch (error) {
    if (!isBridgekeepError(error) || error.code !== 'CONFLICT') throw error
    throw new BridgekeepError(
      'CONFLICT',
      error.message,
      'Give --regenerate to replace them; that revokes the earlier certificate and API key, and their runner stops being accepted.',
    )
  }
}

export default runnerCredentials
