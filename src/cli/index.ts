import { parseArgs } from 'node:util'
import { join } from 'node:path'
import { APP_NAME, resolveDataDir } from '../main/paths'
import { version } from '../../package.json'

const usage = `Usage: bridgekeep <command> [options]

Commands:
  info            where Bridgekeep keeps its data (BRIDGEKEEP_HOME overrides it)

Options:
  --json          machine-readable output
  -h, --help      show this help
  -v, --version   show the version
`

/** Runs the CLI; returns the exit code. Output goes through the two writers so tests can read it. */
export function runCli(
  argv: string[],
  out: (text: string) => void = (text) => process.stdout.write(text),
  err: (text: string) => void = (text) => process.stderr.write(text),
): number {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    })
  } catch (error) {
    err(`bridgekeep: ${(error as Error).message}\nRun 'bridgekeep --help' for the commands.\n`)
    return 2
  }
  const { values, positionals } = parsed
  if (values.version) {
    out(`${version}\n`)
    return 0
  }
  const [command, ...rest] = positionals
  if (values.help || command === undefined) {
    out(usage)
    return command === undefined && !values.help ? 2 : 0
  }
  switch (command) {
    case 'info': {
      if (rest.length > 0) {
        err(`bridgekeep info: unexpected argument "${rest[0]}".\n`)
        return 2
      }
      const dataDir = resolveDataDir()
      const info = {
        name: APP_NAME,
        version,
        dataDir,
        settingsFile: join(dataDir, 'settings.json'),
      }
      out(
        values.json
          ? `${JSON.stringify(info)}\n`
          : `${APP_NAME} ${version}\nData folder:   ${info.dataDir}\nSettings file: ${info.settingsFile}\n`,
      )
      return 0
    }
    default:
      err(`bridgekeep: unknown command "${command}".\nRun 'bridgekeep --help' for the commands.\n`)
      return 2
  }
}

if (require.main === module) process.exitCode = runCli(process.argv.slice(2))
