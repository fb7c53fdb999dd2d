import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { isSea } from 'node:sea'

/**
 * The argument that makes the single executable (npm run build:cli) the runner program rather
 * than the CLI: it carries both, and has no runner.js beside it to start. Kept in this small
 * module because the executable reads it before anything else loads.
 */
export const RUNNER_PROGRAM_ARGUMENT = '--runner-program'

/**
 * How to start the runner program from here (with process.execPath): out/main/runner.js beside
 * the built CLI (commands are chunks one folder down), src/runner/index.ts through tsx when the
 * CLI runs from source, or the single executable itself.
 */
export function runnerProgram(): { entry: string; execArgv: string[] } {
  if (isSea()) return { entry: RUNNER_PROGRAM_ARGUMENT, execArgv: [] }
  for (const entry of [join(__dirname, 'runner.js'), join(__dirname, '..', 'runner.js')])
    if (existsSync(entry)) return { entry, execArgv: [] }
  const source = join(__dirname, '..', 'runner', 'index.ts')
  if (existsSync(source)) return { entry: source, execArgv: ['--import', 'tsx'] }
  return { entry: join(__dirname, 'runner.js'), execArgv: [] }
}
