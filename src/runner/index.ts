import { parseArgs } from 'node:util'
import { version } from '../../package.json'
import type { RunnerEnrollment } from '../shared/runner-protocol/enrollment'
import { DEFAULT_MAX_FRAME_BYTES } from '../shared/runner-protocol/framing'
import { runControlSession, type SessionOutcome } from './control-client'
import {
  checkEnrollment,
  CREDENTIALS_VARIABLE,
  enrollmentFromVariable,
  EnrollmentProblem,
  parseEnrollment,
  readEnrollmentFile,
} from './enrollment'
import { createRunnerLogger } from './log'
import { operations, registerAll } from './operation-registry'
import { providerOperations } from './providers'
import { watchParent } from './parent-watch'

const usage = `Usage: bridgekeep-runner --credentials <runner.json>
       BRIDGEKEEP_RUNNER_CREDENTIALS=<the file's JSON, or its base64> bridgekeep-runner

The Bridgekeep runner connects out to the app's control listener over mutual TLS and performs
cloud operations for it. The app starts it; to run one by hand, use the credentials file that the
Runner page's "Add a runner…" (or bridgekeep runner credentials --name NAME) produced.

Options:
  --credentials <file>   the credentials file ("-": one line on stdin; "parent-port": from
                         the Electron app that started this runner); without it, the
                         credentials come from BRIDGEKEEP_RUNNER_CREDENTIALS
  --local                started by the app: exit when the app or the connection goes away
  --parent-pid <pid>     exit when this process is gone (implied by --local)
  --once                 do not reconnect after the connection ends
`

/** Exit codes: what a supervisor (or a shell script) can act on. */
export const EXIT = { ok: 0, refused: 1, usage: 2, lost: 3, orphaned: 4 } as const

export interface RunnerIo {
  out(text: string): void
  err(text: string): void
  stdin: NodeJS.ReadableStream
  /** The environment; BRIDGEKEEP_RUNNER_CREDENTIALS is removed from it once read. */
  env: NodeJS.ProcessEnv
  /** Resolves the process's lifetime: SIGTERM/SIGINT abort it. */
  stop: AbortSignal
}

/** Runs the runner program; resolves to the exit code. */
export async function runRunner(argv: string[], io: RunnerIo = processIo()): Promise<number> {
  let values
  try {
    values = parseArgs({
      args: argv,
      options: {
        credentials: { type: 'string' },
        local: { type: 'boolean', default: false },
        'parent-pid': { type: 'string' },
        once: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    }).values
  } catch (error) {
    io.err(`bridgekeep-runner: ${(error as Error).message}\n${usage}`)
    return EXIT.usage
  }
  if (values.version) {
    io.out(`${version}\n`)
    return EXIT.ok
  }
  if (values.help) {
    io.out(usage)
    return EXIT.ok
  }
  const fromVariable = values.credentials ? undefined : io.env[CREDENTIALS_VARIABLE]
  // Read once, then gone: the SDKs' own child processes must not inherit it.
  delete io.env[CREDENTIALS_VARIABLE]
  if (!values.credentials && fromVariable === undefined) {
    io.err(
      `bridgekeep-runner: --credentials <runner.json> (or ${CREDENTIALS_VARIABLE}) is required.\n${usage}`,
    )
    return EXIT.usage
  }
  const log = createRunnerLogger(io.err)
  const lifetime = new AbortController()
  // Every provider of the catalog: verify and issue-credentials run here with the real SDKs.
  registerAll(operations, providerOperations)
  const endWith = (code: number) => {
    exitCode ??= code
    lifetime.abort()
  }
  let exitCode: number | undefined
  io.stop.addEventListener('abort', () => endWith(EXIT.ok), { once: true })

  // --credentials is what users call the enrollment file (see runner-protocol/enrollment.ts).
  let enrollment: RunnerEnrollment
  try {
    enrollment =
      fromVariable !== undefined
        ? enrollmentFromVariable(fromVariable)
        : values.credentials === '-'
          ? parseEnrollment(await firstLine(io.stdin), 'The credentials on stdin')
          : values.credentials === 'parent-port'
            ? parseEnrollment(await fromParentPort(), 'The credentials from the app')
            : readEnrollmentFile(values.credentials!)
    checkEnrollment(enrollment)
  } catch (error) {
    if (!(error instanceof EnrollmentProblem)) throw error
    io.err(`bridgekeep-runner: ${error.message}\n`)
    return EXIT.refused
  }

  const local = values.local
  const parentPid = values['parent-pid']
    ? Number(values['parent-pid'])
    : local
      ? process.ppid
      : undefined
  const unwatch = watchParent({
    parentPid,
    direct: parentPid === process.ppid,
    // The app holds the other end of stdin for a local runner: EOF means it is gone.
    stdin: values.credentials === '-' && local ? io.stdin : undefined,
    onGone: (why) => {
      log.warn('runner.parent-gone', { why })
      endWith(EXIT.orphaned)
    },
  })

  log.info('runner.starting', {
    runnerId: enrollment.runner.id,
    vaultId: enrollment.vault.id,
    endpoint: `${enrollment.control.host}:${enrollment.control.port}`,
    local,
    pid: process.pid,
  })
  let delay = 1000
  try {
    while (!lifetime.signal.aborted) {
      let ready = false
      const outcome: SessionOutcome = await runControlSession(
        {
          enrollment,
          local,
          version,
          registry: operations,
          log,
          maxFrameBytes: DEFAULT_MAX_FRAME_BYTES,
          onReady: () => {
            ready = true
          },
        },
        lifetime.signal,
      )
      if (outcome.kind === 'stopped') break
      if (outcome.kind === 'refused') {
        const who =
          outcome.stage === 'server'
            ? 'This runner refused the app'
            : `The app refused this runner (${outcome.stage})`
        io.err(`bridgekeep-runner: ${who}: ${outcome.reason}\n`)
        return EXIT.refused
      }
      log.warn(outcome.kind === 'lost' ? 'runner.connection-lost' : 'runner.unreachable', {
        reason: outcome.reason,
      })
      // A local runner is the app's child: without its app it has no reason to live.
      if (local || values.once) {
        io.err(`bridgekeep-runner: ${outcome.reason}\n`)
        return EXIT.lost
      }
      if (ready) delay = 1000
      log.info('runner.reconnecting', { inMs: delay })
      await sleep(delay, lifetime.signal)
      delay = Math.min(delay * 2, 30_000)
    }
  } finally {
    unwatch()
  }
  log.info('runner.stopped', { code: exitCode ?? EXIT.ok })
  return exitCode ?? EXIT.ok
}

function processIo(): RunnerIo {
  const controller = new AbortController()
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => controller.abort())
  }
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    stdin: process.stdin,
    env: process.env,
    stop: controller.signal,
  }
}

/** The first line of a stream (the enrollment a supervisor writes); the stream stays open. */
function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString()
      const end = text.indexOf('\n')
      if (end >= 0) {
        cleanup()
        resolve(text.slice(0, end))
      } else if (text.length > 1_000_000) {
        cleanup()
        reject(new EnrollmentProblem('The credentials on stdin are too long.'))
      }
    }
    const onEnd = () => {
      cleanup()
      if (text.trim()) resolve(text)
      else reject(new EnrollmentProblem('No credentials arrived on stdin.'))
    }
    const cleanup = () => {
      stream.off('data', onData)
      stream.off('end', onEnd)
    }
    stream.on('data', onData)
    stream.on('end', onEnd)
  })
}

/** In an Electron utilityProcess, the app posts the enrollment on the parent port. */
function fromParentPort(): Promise<string> {
  const port = (
    process as unknown as {
      parentPort?: { once(event: 'message', listener: (event: { data: unknown }) => void): void }
    }
  ).parentPort
  if (!port) {
    return Promise.reject(
      new EnrollmentProblem(
        '--credentials parent-port works only when the Bridgekeep app starts the runner.',
      ),
    )
  }
  return new Promise((resolve) => port.once('message', (event) => resolve(String(event.data))))
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}

/** Runs the runner as this whole process: its exit code becomes the process's. */
export function runRunnerProcess(argv: string[]): void {
  // exit(), not exitCode: a local runner's stdin keeps the event loop alive on purpose.
  runRunner(argv).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `bridgekeep-runner: unexpected failure: ${error instanceof Error ? error.name : 'error'}\n`,
      )
      process.exit(70)
    },
  )
}

if (require.main === module) runRunnerProcess(process.argv.slice(2))
