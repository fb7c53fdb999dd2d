import { parseArgs } from 'node:util'
import type { Services } from '../../main/services'
import type { VaultCore } from '../../main/services/vault-core'
import type { CommandContext, CommandEntry, CommandSpec, OptionSpec } from './command'
import { EXIT_OK, EXIT_USAGE, reportError, UsageError } from './errors'
import type { CliIO } from './io'
import { withProgress } from './progress'

/** Options every command has; `json` and `recovery-key` only where the spec asks for them. */
const HELP: OptionSpec = { type: 'boolean', short: 'h', description: 'show this help' }
const JSON_OPTION: OptionSpec = {
  type: 'boolean',
  description: 'print one JSON document on stdout (for scripts) instead of a table',
}
const RECOVERY_OPTION: OptionSpec = {
  type: 'boolean',
  description:
    'unlock with the recovery key instead of the keychain: read from BRIDGEKEEP_RECOVERY_KEY, or asked for on a terminal (never given as an argument)',
}

export interface Program {
  version: string
  commands: readonly CommandEntry[]
  /** Opens and unlocks the vault; loaded lazily so commands without a vault stay light. */
  openSession(io: CliIO, options: { recoveryKey: boolean }): Promise<Services>
  /** Opens and unlocks the vault core only (see CommandContext.vault). */
  openVaultCore(io: CliIO, options: { recoveryKey: boolean }): Promise<VaultCore>
}

/**
 * Finds the command in argv, parses its options with node:util parseArgs (strict: unknown options
 * are usage errors), prints --help, runs it, and turns whatever it throws into a message on stderr
 * and an exit code (2 usage, 1 failure, 130 Ctrl-C at a prompt).
 */
export async function dispatch(argv: string[], io: CliIO, program: Program): Promise<number> {
  const first = argv[0]
  if (first === undefined) {
    io.stdout.write(topUsage(program))
    return EXIT_USAGE
  }
  if (first === '-h' || first === '--help' || first === 'help') {
    const topic = argv.slice(1).filter((word) => !word.startsWith('-'))
    if (topic.length === 0) {
      io.stdout.write(topUsage(program))
      return EXIT_OK
    }
    return dispatch([...topic, '--help'], io, program)
  }
  if (first === '-v' || first === '--version') {
    io.stdout.write(`${program.version}\n`)
    return EXIT_OK
  }
  try {
    const { entry, rest } = findCommand(argv, program)
    const spec = await entry.load()
    return await runCommand(entry, spec, rest, io, program)
  } catch (error) {
    return reportError(io.stderr, error)
  }
}

function findCommand(argv: string[], program: Program): { entry: CommandEntry; rest: string[] } {
  const [first = '', second, third] = argv
  // The longest name the arguments start with: "aws sso login" before "aws ...".
  const words = (entry: CommandEntry) => entry.name.split(' ')
  const named = program.commands
    .filter((entry) => words(entry).every((word, index) => argv[index] === word))
    .sort((a, b) => words(b).length - words(a).length)[0]
  if (named) return { entry: named, rest: argv.slice(words(named).length) }
  const inGroup = (prefix: string) =>
    program.commands.filter((entry) => entry.name.startsWith(`${prefix} `))
  const subgroup = inGroup(`${first} ${second}`)
  const [prefix, next, group] =
    subgroup.length > 0 ? [`${first} ${second}`, third, subgroup] : [first, second, inGroup(first)]
  if (group.length > 0) {
    const names = group.map((entry) => entry.name).join(', ')
    if (next === undefined || next === '-h' || next === '--help') {
      throw new UsageError(`"${prefix}" needs a subcommand: ${names}.`)
    }
    throw new UsageError(`unknown command "${prefix} ${next}". Commands: ${names}.`)
  }
  if (first.startsWith('-')) throw new UsageError(`unknown option "${first}" before the command.`)
  throw new UsageError(`unknown command "${first}".`)
}

async function runCommand(
  entry: CommandEntry,
  spec: CommandSpec,
  argv: string[],
  io: CliIO,
  program: Program,
): Promise<number> {
  let own = argv
  let passed: string[] = []
  if (spec.passThrough) {
    const split = argv.indexOf('--')
    if (split >= 0) {
      own = argv.slice(0, split)
      passed = argv.slice(split + 1)
    }
  }
  const options = allOptions(spec)
  let parsed
  try {
    parsed = parseArgs({
      args: own,
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(
        Object.entries(options).map(([name, option]) => [
          name,
          {
            type: option.type,
            ...(option.short ? { short: option.short } : {}),
            ...(option.multiple ? { multiple: true } : {}),
          },
        ]),
      ),
    })
  } catch (error) {
    throw new UsageError((error as Error).message, entry.name)
  }
  const { values, positionals } = parsed
  if (values.help === true) {
    io.stdout.write(commandHelp(entry, spec))
    return EXIT_OK
  }
  const { min, max } = spec.positionals
  if (positionals.length < min)
    throw new UsageError(
      `missing argument: ${spec.usage.split(' ')[positionals.length]}`,
      entry.name,
    )
  if (positionals.length > max)
    throw new UsageError(`unexpected argument "${positionals[max]}".`, entry.name)

  const session = { recoveryKey: values['recovery-key'] === true }
  const opened: VaultCore[] = []
  let opening: Promise<Services> | undefined
  let openingCore: Promise<VaultCore> | undefined
  const context: CommandContext = {
    io,
    json: values.json === true,
    services: () =>
      (opening ??= program.openSession(io, session).then((services) => {
        opened.push(services)
        return services
      })),
    // The full services include the core: a command that opened them does not open it twice.
    vault: () =>
      opening ??
      (openingCore ??= program.openVaultCore(io, session).then((core) => {
        opened.push(core)
        return core
      })),
    progress: (label, work, progressOptions) =>
      withProgress(io.stderr, label, work, progressOptions),
  }
  try {
    return (await spec.run(context, { values, positionals, rest: passed })) ?? EXIT_OK
  } finally {
    for (const services of opened) services.vault.close()
  }
}

function allOptions(spec: CommandSpec): Record<string, OptionSpec> {
  return {
    ...spec.options,
    ...(spec.json ? { json: JSON_OPTION } : {}),
    ...(spec.vault ? { 'recovery-key': RECOVERY_OPTION } : {}),
    help: HELP,
  }
}

function commandHelp(entry: CommandEntry, spec: CommandSpec): string {
  const options = Object.entries(allOptions(spec)).map(([name, option]) => {
    const flags = `${option.short ? `-${option.short}, ` : '    '}--${name}${
      option.type === 'string' ? ` <${option.valueName ?? 'value'}>` : ''
    }`
    return [flags, `${option.description}${option.multiple ? ' (repeatable)' : ''}`] as const
  })
  const width = Math.max(...options.map(([flags]) => flags.length))
  const lines = [
    `Usage: bridgekeep ${entry.name} ${spec.usage}`,
    '',
    entry.summary.charAt(0).toUpperCase() + entry.summary.slice(1) + '.',
    ...(spec.description ? ['', spec.description] : []),
    '',
    'Options:',
    ...options.map(([flags, text]) => `  ${flags.padEnd(width)}  ${text}`),
  ]
  if (spec.examples?.length) lines.push('', 'Examples:', ...spec.examples.map((e) => `  ${e}`))
  return `${lines.join('\n')}\n`
}

function topUsage(program: Program): string {
  const width = Math.max(...program.commands.map((entry) => entry.name.length))
  return [
    'Usage: bridgekeep <command> [options]',
    '',
    'Commands:',
    ...program.commands.map((entry) => `  ${entry.name.padEnd(width)}  ${entry.summary}`),
    '',
    'Options:',
    '  -h, --help     show help (also: bridgekeep <command> --help)',
    '  -v, --version  show the version',
    '',
    'Every command works with the app open or closed. The vault opens with the OS keychain;',
    'a passphrase vault reads BRIDGEKEEP_PASSPHRASE or asks on the terminal. Secrets are never',
    'taken as arguments: give them from a file or stdin. BRIDGEKEEP_HOME selects the data folder.',
    '',
  ].join('\n')
}
