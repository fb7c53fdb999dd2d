import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { utilityProcess } from 'electron'
import type { ProcessLauncher, RunnerProcess } from '../runner-host/process-launcher'

/**
 * The local runner inside the Electron app: a utilityProcess (a Node.js child that Electron
 * manages and ends with the app). Credentials go over its message port, never through a file.
 */
export class UtilityProcessLauncher implements ProcessLauncher {
  readonly kind = 'utility-process'

  constructor(private readonly entry: string = join(__dirname, 'runner.js')) {}

  launch(enrollment: string): RunnerProcess {
    const child = utilityProcess.fork(
      this.entry,
      ['--credentials', 'parent-port', '--local', '--parent-pid', String(process.pid)],
      { stdio: 'pipe', serviceName: 'Bridgekeep runner' },
    )
    child.postMessage(enrollment)
    const lineListeners = new Set<(line: string) => void>()
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        for (const listener of lineListeners) listener(line)
      })
    }
    let exited: number | undefined
    const exitListeners = new Set<(code: number | null, signal: string | null) => void>()
    child.on('exit', (code) => {
      exited = code
      for (const listener of exitListeners) listener(code, null)
    })
    return {
      pid: child.pid,
      kill: (signal) => {
        if (exited !== undefined) return
        // utilityProcess.kill() is SIGTERM; a forced stop needs the pid.
        if (signal === 'SIGTERM' || child.pid === undefined) child.kill()
        else process.kill(child.pid, signal)
      },
      onExit: (listener) => {
        if (exited !== undefined) listener(exited, null)
        else exitListeners.add(listener)
      },
      onLine: (listener) => lineListeners.add(listener),
    }
  }
}
