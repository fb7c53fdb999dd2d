import { resolveDataDir } from '../../main/paths'
import type { CommandSpec } from '../framework/command'
import { keyValues, table, when, writeJson } from '../framework/output'
import { appListening } from '../app-liveness'
import { detachedRunners } from '../runner-processes'

const runnerStatus: CommandSpec = {
  usage: '[options]',
  description: [
    "Whether the app's control listener is up (it is while the app is open), the runners this vault issued credentials to with their last contact, and the runners started here with --detach.",
    'Exits 0; a script can read --json.',
  ].join('\n\n'),
  options: {},
  positionals: { min: 0, max: 0 },
  json: true,
  vault: true,
  examples: ['bridgekeep runner status', 'bridgekeep runner status --json'],
  async run(context) {
    const services = await context.services()
    const endpoint = services.runner.rememberedEndpoint()
    const listening = await appListening(endpoint)
    const known = services.runner.runners()
    const detached = detachedRunners(resolveDataDir(context.io.env))
    if (context.json)
      return writeJson(context.io.stdout, {
        control: endpoint ? { ...endpoint, listening } : null,
        runners: known.map(({ connected: _unknownHere, ...runner }) => runner),
        detached,
      })
    const out = context.io.stdout
    out.write(
      keyValues([
        [
          'Control listener',
          !endpoint
            ? 'not set up yet (the app starts it when it first needs a runner)'
            : `${endpoint.host}:${endpoint.port}, ${listening ? 'listening (the app is open)' : 'not listening (the app is closed)'}`,
        ],
      ]),
    )
    out.write('\nRunners with credentials:\n')
    out.write(
      known.length === 0
        ? "  none yet: 'bridgekeep runner credentials' issues some\n"
        : table(known, [
            { header: '  NAME', value: (r) => `  ${r.name}` },
            { header: 'KIND', value: (r) => r.kind },
            { header: 'ID', value: (r) => r.id.slice(0, 8) },
            { header: 'CREDENTIALS', value: (r) => (r.active ? 'live' : 'revoked') },
            { header: 'LAST CONTACT', value: (r) => when(r.lastContactAt) },
            { header: 'FROM', value: (r) => r.lastAddress ?? '' },
            { header: 'VERSION', value: (r) => r.version ?? '' },
            { header: 'EXPIRES', value: (r) => when(r.expiresAt) },
          ]),
    )
    out.write('\nStarted here with --detach:\n')
    out.write(
      detached.length === 0
        ? '  none\n'
        : table(detached, [
            { header: '  LABEL', value: (r) => `  ${r.label}` },
            { header: 'PID', value: (r) => String(r.pid), align: 'right' },
            { header: 'SINCE', value: (r) => when(r.startedAt) },
            { header: 'LOG', value: (r) => r.log },
          ]),
    )
  },
}

export default runnerStatus
