import { appListening } from '../app-liveness'
import type { CommandSpec } from '../framework/command'
import { table, when, writeJson } from '../framework/output'

const runnerList: CommandSpec = {
  usage: '[options]',
  description: [
    'The runners of this vault: the local one the app starts, and the named remote runners, with whether the app holds a connection with each right now, where it last connected from, its version and when it was last seen.',
    "Connected is what the open app holds: with the app closed (or killed), no runner is connected, whatever the app last wrote. 'bridgekeep runner status' also shows the control listener and the runners started here with --detach.",
  ].join('\n\n'),
  options: {},
  positionals: { min: 0, max: 0 },
  json: true,
  vault: true,
  examples: ['bridgekeep runner list', 'bridgekeep runner list --json'],
  async run(context) {
    const services = await context.services()
    // What the app wrote is current only while it is open (see app-liveness.ts).
    const appOpen = await appListening(services.runner.rememberedEndpoint())
    const runners = services.runner
      .runners()
      .map((runner) => ({ ...runner, connected: runner.connected && appOpen }))
    if (context.json) return writeJson(context.io.stdout, runners)
    if (runners.length === 0) {
      context.io.stdout.write(
        "No runners yet: the app makes the local one; 'bridgekeep runner credentials --name NAME' makes a remote one.\n",
      )
      return
    }
    context.io.stdout.write(
      table(runners, [
        { header: 'NAME', value: (r) => r.name },
        { header: 'KIND', value: (r) => r.kind },
        {
          header: 'STATE',
          value: (r) =>
            !r.active
              ? 'revoked'
              : r.connected
                ? 'connected'
                : `not connected (${r.lastContactAt ? `last seen ${when(r.lastContactAt)}` : 'never seen'})`,
        },
        { header: 'HOST', value: (r) => r.lastAddress ?? '' },
        { header: 'VERSION', value: (r) => r.version ?? '' },
        { header: 'LAST SEEN', value: (r) => (r.lastContactAt ? when(r.lastContactAt) : 'never') },
      ]),
    )
  },
}

export default runnerList
