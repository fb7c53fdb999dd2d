import { commandLine, runCli } from '.'
import { RUNNER_PROGRAM_ARGUMENT } from './runner-program'

/**
 * The entry of the single executable (npm run build:cli, which also keeps the two modules' own
 * `require.main` blocks from starting): the `bridgekeep` command, and the runner program when
 * `bridgekeep runner start` starts the executable again as one.
 */
const [first, ...rest] = process.argv.slice(2)
if (first === RUNNER_PROGRAM_ARGUMENT) {
  // Loaded only here: the runner's modules would add to every command's start-up.
  void import('../runner').then(({ runRunnerProcess }) => runRunnerProcess(rest))
} else {
  // Under a link named docker-credential-bridgekeep, argv0 is that name (execPath is the file's).
  void runCli(commandLine(process.argv0, process.argv.slice(2))).then((code) => {
    process.exitCode = code
  })
}
