import { commands } from './commands'
import { dispatch } from './framework/dispatch'
import { processIO, type CliIO } from './framework/io'
import { version } from '../../package.json'
import { commandLine } from './credential-helpers/invoked-as'

export { commandLine }

/**
 * Runs the `bridgekeep` command and resolves to its exit code. Output goes through `io`, so tests
 * can run it in-process; the real command passes process streams. The services (SQLite, the
 * keychain) load only for commands that open the vault.
 */
export function runCli(argv: string[], io: CliIO = processIO()): Promise<number> {
  return dispatch(argv, io, {
    version,
    commands,
    openSession: async (sessionIo, options) =>
      (await import('./session')).openSession(sessionIo, options),
    openVaultCore: async (sessionIo, options) =>
      (await import('./session')).openVaultCore(sessionIo, options),
  })
}

if (require.main === module) {
  void runCli(commandLine(process.argv[1], process.argv.slice(2))).then((code) => {
    process.exitCode = code
  })
}
