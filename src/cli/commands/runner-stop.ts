import { setTimeout as sleep } from 'node:timers/promises'
import { resolveDataDir } from '../../main/paths'
import { BridgekeepError } from '../../shared/errors'
import { flag, type CommandSpec } from '../framework/command'
import { printable, writeJson } from '../framework/output'
import {
  detachedRunners,
  forgetDetached,
  isRunnerProcess,
  type DetachedRunner,
} from '../runner-processes'

/** A runner finishes its operation in flight and closes its session; then it is killed. */
const GRACE_MS = 10_000

const runnerStop: CommandSpec = {
  usage: '[<runner>] [--all] [options]',
  description: [
    "Stops a runner started with 'bridgekeep runner start --detach': <runner> is its label or id (a unique start is enough); with a single one running, it may be left out. It gets SIGTERM, finishes what it is doing, and exits; after 10 seconds it is killed.",
    'A foreground runner stops with Ctrl-C; the runner the app started stops with the app (or on its Runner page).',
  ].join('\n\n'),
  options: { all: { type: 'boolean', description: 'stop every detached runner' } },
  positionals: { min: 0, max: 1 },
  json: true,
  examples: ['bridgekeep runner stop', 'bridgekeep runner stop build-server'],
  async run(context, { values, positionals }) {
    const running = detachedRunners(resolveDataDir(context.io.env))
    const targets = chooseTargets(running, positionals[0], flag(values, 'all'))
    const stopped: (DetachedRunner & { how: 'stopped' | 'killed' })[] = []
    await Promise.all(
      targets.map(async (runner) => {
        stopped.push({ ...runner, how: await stop(runner.pid) })
        forgetDetached(resolveDataDir(context.io.env), runner.runnerId)
      }),
    )
    if (context.json) return writeJson(context.io.stdout, stopped)
    if (stopped.length === 0) {
      context.io.stdout.write('No detached runner is running.\n')
      return
    }
    for (const runner of stopped)
      context.io.stdout.write(
        `${runner.how === 'stopped' ? 'Stopped' : 'Killed (it did not stop in time)'} ${printable(runner.label)} (pid ${runner.pid}).\n`,
      )
  },
}

function chooseTargets(
  running: DetachedRunner[],
  ref: string | undefined,
  all: boolean,
): DetachedRunner[] {
  if (all || running.length === 0) return running
  if (ref === undefined) {
    if (running.length === 1) return running
    throw new BridgekeepError(
      'VALIDATION',
      `${running.length} detached runners are running: ${running.map((r) => r.label).join(', ')}.`,
      'Name the one to stop (its label or id), or give --all.',
    )
  }
  const wanted = ref.trim().toLowerCase()
  const matches = running.filter(
    (r) => r.label.toLowerCase() === wanted || r.runnerId.startsWith(wanted),
  )
  if (matches.length === 1) return matches
  throw new BridgekeepError(
    matches.length > 1 ? 'VALIDATION' : 'NOT_FOUND',
    matches.length > 1
      ? `Several detached runners match ${ref}.`
      : `No detached runner is called ${ref}.`,
    `Running: ${running.map((r) => `${r.label} (${r.runnerId.slice(0, 8)})`).join(', ')}.`,
  )
}

async function stop(pid: number): Promise<'stopped' | 'killed'> {
  try {
    process.kill(pid, 'SIGTERM')
  } catch {
    return 'stopped'
  }
  for (let waited = 0; waited < GRACE_MS; waited += 100) {
    if (!isRunnerProcess(pid)) return 'stopped'
    await sleep(100)
  }
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // It exited between the last check and now.
  }
  return 'killed'
}

export default runnerStop
