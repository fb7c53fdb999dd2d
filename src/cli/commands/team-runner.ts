import { stringOption, type CommandSpec } from '../framework/command'
import { UsageError } from '../framework/errors'
import { printable } from '../framework/output'
import { TEAM_OPTION } from '../team-arguments'

const teamRunner: CommandSpec = {
  usage: '[--team <team>] [--poll <seconds>]',
  description: [
    "Runs this vault as the team's runner, in the foreground: it serves use-only members (and anyone in the team who asks) with short-lived AWS credentials (STS, 15 minutes), encrypted to the member who asked and signed by you. Only an admin of the team may run one.",
    'It listens for requests in the team database (LISTEN/NOTIFY) and also reads them every --poll seconds (5 by default), reconnects after the database restarts, and stops cleanly on SIGTERM or Ctrl-C.',
    "Each request is checked before a secret is touched: its signature, that the requester is a member now (the signed change log is replayed), that it is fresh (60 s) and not seen before, and that the matrix authorizes the connection in the environment. Every answer, issued or refused, is signed and written to the team's audit trail.",
    "The connection's long-lived secret stays in this process. Until team connections are synced, the runner uses this vault's connection of the requested name, authorized by this vault's matrix.",
  ].join('\n\n'),
  options: {
    team: TEAM_OPTION,
    poll: {
      type: 'string',
      valueName: 'seconds',
      description: 'the fallback poll interval (1 to 300; default 5)',
    },
  },
  positionals: { min: 0, max: 0 },
  vault: true,
  examples: ['bridgekeep team runner', 'bridgekeep team runner --team platform --poll 2'],
  async run(context, { values }) {
    const pollMs = pollOption(stringOption(values, 'poll'))
    const services = await context.services()
    const stop = new AbortController()
    const onSignal = (received: NodeJS.Signals) => stop.abort(received)
    process.on('SIGTERM', onSignal)
    process.on('SIGINT', onSignal)
    let connected = false
    try {
      await services.teamRunner.serve(stringOption(values, 'team'), {
        signal: stop.signal,
        ...(pollMs ? { pollMs } : {}),
        onListening: (team) => {
          context.io.stderr.write(
            connected
              ? `bridgekeep team runner: connected to ${printable(team)} again.\n`
              : `bridgekeep team runner: serving ${printable(team)} (pid ${process.pid}). Stop it with Ctrl-C or SIGTERM.\n`,
          )
          connected = true
        },
      })
    } finally {
      process.removeListener('SIGTERM', onSignal)
      process.removeListener('SIGINT', onSignal)
    }
    context.io.stderr.write(`bridgekeep team runner: stopped (${String(stop.signal.reason)}).\n`)
  },
}

function pollOption(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined
  const seconds = Number(raw)
  if (!/^\d+(\.\d+)?$/.test(raw) || seconds < 1 || seconds > 300)
    throw new UsageError(
      `--poll must be a number of seconds from 1 to 300 (not "${printable(raw.slice(0, 20))}").`,
      'team runner',
    )
  return seconds * 1000
}

export default teamRunner
