import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { BridgekeepError } from '../../shared/errors'

export interface RunnerProcess {
  readonly pid: number | undefined
  kill(signal: NodeJS.Signals): void
  onExit(listener: (code: number | null, signal: string | null) => void): void
  /** Each line the runner writes (its structured log, or a crash message). */
  onLine(listener: (line: string) => void): void
}

/**
 * How the app starts its local runner: a plain Node child process here (tests, the CLI, the e2e
 * browser host), an Electron utilityProcess in the app (src/main/app/runner-launcher.ts). Either
 * hands the runner its enrollment without a file and keeps a channel whose end tells the
 * runner the app is gone.
 */
export interface ProcessLauncher {
  readonly kind: string
  /** `credentials`: the credentials file's JSON, on one line. */
  launch(enrollment: string): RunnerProcess
}

export interface ChildProcessLauncherOptions {
  /** The runner program: out/main/runner.js, or src/runner/index.ts with execArgv ['--import', 'tsx']. */
  entry: string
  execArgv?: string[]
  cwd?: string
  env?: Record<string, string | undefined>
}

/** The runner as a Node child process; its enrollment on stdin, which stays open for its lifetime. */
export class ChildProcessLauncher implements ProcessLauncher {
  readonly kind = 'child-process'

  constructor(private readonly options: ChildProcessLauncherOptions) {}

  launch(enrollment: string): RunnerProcess {
    if (!existsSync(this.options.entry)) {
      throw new BridgekeepError(
        'RUNNER_UNAVAILABLE',
        `The runner program ${this.options.entry} does not exist.`,
        'Build Bridgekeep (npm run build), or reinstall it.',
      )
    }
    // Loaded here, not at import: every CLI call that opens the vault builds the runner host,
    // and node:child_process is a noticeable part of such a call's start-up.
    const { spawn } = process.getBuiltinModule('node:child_process')
    const { createInterface } = process.getBuiltinModule('node:readline')
    const child = spawn(
      process.execPath,
      [
        ...(this.options.execArgv ?? []),
        this.options.entry,
        '--credentials',
        '-',
        '--local',
        '--parent-pid',
        String(process.pid),
      ],
      {
        cwd: this.options.cwd,
        // Inside Electron, execPath is Electron itself: run it as plain Node.
        env: { ...process.env, ...this.options.env, ELECTRON_RUN_AS_NODE: '1' },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    )
    child.stdin.on('error', () => undefined) // EPIPE once the runner has exited
    child.stdin.write(`${enrollment}\n`)
    const lineListeners = new Set<(line: string) => void>()
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        for (const listener of lineListeners) listener(line)
      })
    }
    let exited: [number | null, string | null] | undefined
    const exitListeners = new Set<(code: number | null, signal: string | null) => void>()
    child.on('error', () => undefined) // spawn failures also end in 'exit' or 'close'
    child.on('close', (code, signal) => {
      exited = [code, signal]
      for (const listener of exitListeners) listener(code, signal)
    })
    return {
      pid: child.pid,
      kill: (signal) => {
        if (exited === undefined) child.kill(signal)
      },
      onExit: (listener) => {
        if (exited) listener(...exited)
        else exitListeners.add(listener)
      },
      onLine: (listener) => lineListeners.add(listener),
    }
  }
}

/** The built runner beside the built main process (out/main/runner.js). */
export function builtRunnerLauncher(mainDir: string = __dirname): ChildProcessLauncher {
  return new ChildProcessLauncher({ entry: join(mainDir, 'runner.js') })
}
