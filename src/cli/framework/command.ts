import type { Services } from '../../main/services'
import type { VaultCore } from '../../main/services/vault-core'
import type { CliIO } from './io'
import type { ProgressOptions } from './progress'

/** One option, as node:util parseArgs takes it, plus what --help says about it. */
export interface OptionSpec {
  type: 'string' | 'boolean'
  short?: string
  multiple?: boolean
  description: string
  /** Shown in help as `--name <value>`. */
  valueName?: string
}

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>

export interface CommandInput {
  values: OptionValues
  positionals: string[]
  /** With `passThrough`, the words after the first `--` (exec's command). */
  rest: string[]
}

export interface CommandContext {
  io: CliIO
  /** `--json` was given: one JSON document on stdout instead of tables. */
  json: boolean
  /**
   * The services over the unlocked vault (keychain silently; passphrase or recovery key from the
   * environment or a terminal prompt). Opened on first call; closed when the command ends.
   */
  services(): Promise<Services>
  /**
   * The vault core alone, unlocked the same way: for the commands that only read and use
   * connections (no runner host, health checks or sharing loaded). Closed when the command ends.
   */
  vault(): Promise<VaultCore>
  /** Runs slow work with a spinner on stderr, when stderr is a terminal. */
  progress<T>(label: string, work: () => Promise<T> | T, options?: ProgressOptions): Promise<T>
}

/**
 * A command of `bridgekeep`. Each lives in its own file in src/cli/commands/ and is listed, with
 * its one-line summary, in src/cli/commands/index.ts, which loads it only when it runs (start-up
 * stays fast: `credential-process` and `exec` never load what `add` needs).
 */
export interface CommandSpec {
  /** e.g. `[options]`, `<conn> [options]`. */
  usage: string
  /** Paragraphs shown under the usage line in --help. */
  description: string
  options: Record<string, OptionSpec>
  positionals: { min: number; max: number }
  /** Accepts `--json`. */
  json?: boolean
  /** Opens the vault (adds `--recovery-key`). */
  vault?: boolean
  /** Everything after the first `--` is passed through untouched (exec). */
  passThrough?: boolean
  /** Examples shown at the end of --help. */
  examples?: string[]
  run(context: CommandContext, input: CommandInput): Promise<number | void>
}

/** A command's entry in the registry: enough for the top-level help without loading it. */
export interface CommandEntry {
  /** One to three words: `ls`, `env ls`, `aws credential-process`, `aws sso login`. */
  name: string
  summary: string
  load(): Promise<CommandSpec>
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name]
  return typeof value === 'string' ? value : undefined
}

export function stringsOption(values: OptionValues, name: string): string[] {
  const value = values[name]
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string')
  return typeof value === 'string' ? [value] : []
}

export function flag(values: OptionValues, name: string): boolean {
  return values[name] === true
}
