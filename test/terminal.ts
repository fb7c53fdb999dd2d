import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { ROOT } from './run-node'

/** The key Ctrl-C, as a terminal reads it (its line discipline turns it into SIGINT). */
export const CTRL_C = '\u0003'

/**
 * Runs the CLI on a real pseudo-terminal (util-linux `script`): stdin, stdout and stderr are all
 * the terminal. Each `[prompt, answer]` is typed once its prompt appears (`afterMs` later when
 * given, as a person reading it would), in order, then Enter; CTRL_C is typed alone, and the
 * terminal sends SIGINT to its foreground process group. Returns everything the terminal showed.
 */
export function onTerminal(args: string[], env: Record<string, string>, answers: Answer[] = []) {
  return tsxOnTerminal([resolve(ROOT, 'src/cli/index.ts'), ...args], env, answers)
}

type Answer = [prompt: string, answer: string, afterMs?: number]

/** A TypeScript program (through tsx) on a real pseudo-terminal, as onTerminal runs the CLI. */
export function tsxOnTerminal(argv: string[], env: Record<string, string>, answers: Answer[] = []) {
  return new Promise<{ code: number | null; screen: string }>((done) => {
    const command = [process.execPath, '--import', 'tsx', ...argv]
      .map((word) => `'${word}'`)
      .join(' ')
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    })
    let screen = ''
    let next = 0
    let seen = 0
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString()
      const answer = answers[next]
      const at = answer ? screen.indexOf(answer[0], seen) : -1
      if (answer && at >= 0) {
        next += 1
        seen = at + answer[0].length
        const keys = answer[1] === CTRL_C ? CTRL_C : `${answer[1]}\r`
        setTimeout(() => child.stdin.write(keys), answer[2] ?? 0)
      }
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    child.on('close', (code) => {
      clearTimeout(timer)
      done({ code, screen })
    })
  })
}
