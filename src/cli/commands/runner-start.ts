import { spawn } from 'node:child_process'
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { resolveDataDir } from '../../main/paths'
import { BridgekeepError } from '../../shared/errors'
import {
  checkEnrollment,
  CREDENTIALS_VARIABLE,
  enrollmentFromVariable,
  EnrollmentProblem,
  readEnrollmentFile,
} from '../../runner/enrollment'
import { runChild, SignalRelay } from '../exec/run-child'
import { flag, stringOption, type CommandSpec } from '../framework/command'
import { UsageError } from '../framework/errors'
import { inputIsTerminal } from '../framework/io'
import { keyValues, printable, writeJson } from '../framework/output'
import { detachedRunners, rememberDetached } from '../runner-processes'
import { runnerProgram } from '../runner-program'
import { withoutSecretVariables } from '../../shared/secret-variables'

/**
 * The longest start waits for a detached runner to show how it is doing: authenticated by the
 * app (`runner.ready` in its log), waiting for an app that is not listening
 * (`runner.reconnecting`), or exited (a refused certificate or API key). Waiting for one of those,
 * rather than a fixed time, keeps a slow start on a busy machine from passing for a good one.
 */
const START_WAIT_MS = 20_000
const SETTLED = /"event":"runner\.(ready|reconnecting)"/

const runnerStart: CommandSpec = {
  usage: '[--credentials <file>] [--detach] [options]',
  description: [
    "Starts a runner with a credentials file from 'bridgekeep runner credentials' (or the app's Runner page). It dials the app's control listener over mutual TLS, performs cloud operations for it while the app is open, and reconnects when the app restarts.",
    "In the foreground by default: its log on stderr, Ctrl-C stops it. With --detach it keeps running in the background, logging to a file in the data folder; 'bridgekeep runner status' shows it and 'bridgekeep runner stop' stops it.",
    'Without --credentials, the credentials come from BRIDGEKEEP_RUNNER_CREDENTIALS: the JSON of the file as it is (e.g. a Kubernetes Secret key through secretKeyRef) or that JSON in base64. The runner removes the variable from its environment once read.',
    'The runner started by the app itself needs none of this: the app supervises its own.',
  ].join('\n\n'),
  options: {
    credentials: {
      type: 'string',
      valueName: 'file',
      description: 'the runner credentials file (JSON, secret)',
    },
    detach: { type: 'boolean', description: 'run in the background' },
  },
  positionals: { min: 0, max: 0 },
  json: true,
  examples: [
    'bridgekeep runner start --credentials runner.json',
    'bridgekeep runner start --credentials runner.json --detach',
  ],
  async run(context, { values }) {
    const given = stringOption(values, 'credentials')
    const fromVariable = given ? undefined : context.io.env[CREDENTIALS_VARIABLE]
    if (!given && fromVariable === undefined)
      throw new UsageError(
        `--credentials <file> (or ${CREDENTIALS_VARIABLE}) is required.`,
        'runner start',
      )
    const path = given ? resolve(context.io.cwd, given) : `$${CREDENTIALS_VARIABLE}`
    // Checked here too, so a wrong file is a clear error now rather than a runner that exits.
    let credentials: ReturnType<typeof readEnrollmentFile>
    try {
      credentials = given ? readEnrollmentFile(path) : enrollmentFromVariable(fromVariable!)
      checkEnrollment(credentials)
    } catch (error) {
      if (!(error instanceof EnrollmentProblem)) throw error
      throw new BridgekeepError(
        'VALIDATION',
        error.message,
        "Issue credentials with 'bridgekeep runner credentials', and give that file.",
      )
    }
    const program = runnerProgram()
    // From the variable, the runner reads it again from its environment (never from argv).
    const args = [...program.execArgv, program.entry, ...(given ? ['--credentials', path] : [])]
    const env = { ...withoutSecretVariables(context.io.env), ELECTRON_RUN_AS_NODE: '1' }

    if (!flag(values, 'detach')) {
      const relay = new SignalRelay(inputIsTerminal(context.io))
      try {
        return await runChild([process.execPath, ...args], relay, {
          env,
          onSpawnError: (message) => context.io.stderr.write(`bridgekeep: ${printable(message)}\n`),
        })
      } finally {
        relay.stop()
      }
    }

    const dataDir = resolveDataDir(context.io.env)
    const running = detachedRunners(dataDir).find((r) => r.runnerId === credentials.runner.id)
    if (running) {
      throw new BridgekeepError(
        'CONFLICT',
        `Runner ${credentials.runner.label} is already running (pid ${running.pid}).`,
        "Stop it first with 'bridgekeep runner stop', or check it with 'bridgekeep runner status'.",
      )
    }
    const logDir = join(dataDir, 'logs')
    mkdirSync(logDir, { recursive: true, mode: 0o700 })
    const log = join(logDir, `runner-${credentials.runner.id.slice(0, 8)}.log`)
    const logFd = openSync(log, 'a', 0o600)
    // The log is appended to across starts: only what this start writes counts.
    const before = fstatSync(logFd).size
    const child = spawn(process.execPath, args, {
      env,
      detached: true,
      stdio: ['ignore', logFd, logFd],
    })
    closeSync(logFd)
    const exited = await new Promise<number | null | undefined>((settle) => {
      const started = Date.now()
      const timer = setInterval(() => {
        const written = readFileSync(log).subarray(before).toString('utf8')
        if (Date.now() - started > START_WAIT_MS || SETTLED.test(written)) {
          clearInterval(timer)
          settle(undefined)
        }
      }, 100)
      child.once('exit', (code) => {
        clearInterval(timer)
        settle(code)
      })
      child.once('error', () => {
        clearInterval(timer)
        settle(null)
      })
    })
    if (exited !== undefined || child.pid === undefined) {
      const tail = readFileSync(log, 'utf8').trimEnd().split('\n').slice(-3).join('\n')
      throw new BridgekeepError(
        'RUNNER_UNAVAILABLE',
        `The runner exited at once (code ${exited ?? 'unknown'}).`,
        tail ? `Its last words, from ${log}:\n${tail}` : `See ${log}.`,
      )
    }
    child.unref()
    const record = {
      pid: child.pid,
      runnerId: credentials.runner.id,
      label: credentials.runner.label,
      credentials: path,
      log,
      startedAt: new Date().toISOString(),
    }
    rememberDetached(dataDir, record)
    if (context.json) return writeJson(context.io.stdout, record)
    context.io.stdout.write(
      keyValues([
        ['Started', `${record.label} (pid ${record.pid})`],
        ['Connects to', `${credentials.control.host}:${credentials.control.port}`],
        ['Log', log],
      ]),
    )
  },
}

export default runnerStart
