import { parseArgs } from 'node:util'
import { version } from '../../package.json'

const usage = `Usage: bridgekeep-runner --credentials <runner.json>

The Bridgekeep runner connects out to the app's control listener over mutual TLS and performs
cloud operations for it. The app starts it; to run one by hand, use the credentials file that
"Generate runner credentials" produced.
`

/** Runs the runner program; returns the exit code. */
export function runRunner(
  argv: string[],
  out: (text: string) => void = (text) => process.stdout.write(text),
  err: (text: string) => void = (text) => process.stderr.write(text),
): number {
  let values
  try {
    values = parseArgs({
      args: argv,
      options: {
        credentials: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    }).values
  } catch (error) {
    err(`bridgekeep-runner: ${(error as Error).message}\n${usage}`)
    return 2
  }
  if (values.version) {
    out(`${version}\n`)
    return 0
  }
  if (values.help) {
    out(usage)
    return 0
  }
  if (!values.credentials) {
    err(`bridgekeep-runner: --credentials <runner.json> is required.\n${usage}`)
    return 2
  }
  // The control connection (mutual TLS, API key) arrives with the runner issue; until then the
  // runner refuses to pretend it is connected.
  err('bridgekeep-runner: this build cannot connect to the app yet (no control client).\n')
  return 1
}

if (require.main === module) process.exitCode = runRunner(process.argv.slice(2))
