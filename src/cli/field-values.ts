import { extname, resolve } from 'node:path'
import { readTextFileLimited } from '../main/fs/bounded-read'
import { BridgekeepError, isBridgekeepError } from '../shared/errors'
import { parseReferenceText, type SecretReference } from '../shared/secret-reference'
import { parseJson, parseYaml, SyntaxProblem } from '../shared/parse-untrusted'
import {
  authModeLabels,
  fieldApplies,
  getProvider,
  type AuthMode,
  type ProviderSpec,
} from '../shared/providers'
import { SESSION_DURATION_FIELD } from '../shared/aws/session-duration'
import { RUNNER_FIELD } from '../shared/providers/runner-field'
import { stringOption, type OptionValues } from './framework/command'
import { UsageError } from './framework/errors'
import type { CliIO } from './framework/io'
import { readAllStdin, stripFinalNewline } from './framework/prompt'

/**
 * `--field key=value` / `--set key=value` assignments (add, rotate, edit) as field values. A value
 * may come from a file (`key=@path`) or stdin (`key=@-`, one field only); a secret value is never
 * taken from the command line itself, where shell history and process lists keep it. `option`
 * names the flag in messages, `command` the help that explains it.
 */
export async function fieldAssignments(
  io: CliIO,
  assignments: readonly string[],
  provider: ProviderSpec,
  { option, command }: { option: string; command: string },
): Promise<Record<string, string>> {
  const fields: Record<string, string> = {}
  let stdinUsed: string | undefined
  for (const assignment of assignments) {
    const equals = assignment.indexOf('=')
    if (equals < 1)
      throw new UsageError(
        `${option} takes key=value (e.g. ${option} default_region=eu-west-1).`,
        command,
      )
    const key = assignment.slice(0, equals).trim()
    const raw = assignment.slice(equals + 1)
    if (key in fields) throw new UsageError(`${option} ${key} is given twice.`, command)
    const spec = provider.fields.find((field) => field.key === key)
    if (raw === '@-') {
      if (stdinUsed)
        throw new UsageError(`only one field can be read from stdin (${stdinUsed} is).`, command)
      stdinUsed = key
      fields[key] = await readAllStdin(io, `a value for ${key}`)
    } else if (raw.startsWith('@')) {
      fields[key] = readValueFile(io, raw.slice(1), `a value for ${key}`)
    } else if (spec?.secret && raw.trim() !== '') {
      throw new UsageError(
        `${spec.label} (${key}) is secret: it is not taken on the command line, where shell history keeps it. Use ${option} ${key}=@- to read it from stdin, or ${option} ${key}=@<file>.`,
        command,
      )
    } else {
      fields[key] = raw
    }
  }
  return fields
}

/**
 * `--ref field=<text>` assignments (add, edit, rotate): secret fields that hold a reference instead of a
 * value (env:NAME, file:/path, command:program args…, secret:/configmap:/helm:…), in the text
 * form of src/shared/secret-reference.ts. The service checks the field is a secret one that
 * applies and has no value beside it.
 */
export function referenceAssignments(
  assignments: readonly string[],
  command: string,
): Record<string, SecretReference> {
  const references: Record<string, SecretReference> = {}
  for (const assignment of assignments) {
    const equals = assignment.indexOf('=')
    if (equals < 1)
      throw new UsageError(
        '--ref takes field=reference (e.g. --ref token=env:GITHUB_TOKEN, --ref password=file:~/.secrets/db).',
        command,
      )
    const key = assignment.slice(0, equals).trim()
    if (key in references) throw new UsageError(`--ref ${key} is given twice.`, command)
    try {
      references[key] = parseReferenceText(assignment.slice(equals + 1))
    } catch (error) {
      if (!isBridgekeepError(error)) throw error
      throw new BridgekeepError(error.code, `--ref ${key}: ${error.message}`, error.hint)
    }
  }
  return references
}

/** Flags that stand for one field each (`--runner x` is `runner=x`). */
const FIELD_FLAGS = {
  runner: RUNNER_FIELD,
  'session-duration': SESSION_DURATION_FIELD,
  'mfa-serial': 'mfa_serial',
}

/** The field flags given, as assignments. */
export function flagAssignments(values: OptionValues): string[] {
  return Object.entries(FIELD_FLAGS).flatMap(([flag, key]) => {
    const value = stringOption(values, flag)
    return value === undefined ? [] : [`${key}=${value}`]
  })
}

/** An option as the user gave it (`--mfa-serial`, `--field role_arn`), and the field it sets. */
export interface GivenField {
  option: string
  key: string
}

/** Each field given, named by the flag that stands for it, else by `option key`. */
export function givenFields(values: OptionValues, fields: object, option: string): GivenField[] {
  const flags = new Map(
    Object.entries(FIELD_FLAGS)
      .filter(([flag]) => stringOption(values, flag) !== undefined)
      .map(([flag, key]) => [key, `--${flag}`]),
  )
  return Object.keys(fields).map((key) => ({ key, option: flags.get(key) ?? `${option} ${key}` }))
}

/** Why a mode has no such field, where the field's own modes do not say enough. */
const MODE_REASONS: Partial<Record<AuthMode, string>> = {
  sso: 'an IAM Identity Center connection stores no keys or role, and its permission set decides the account, what it may do and how long its sessions last',
  'runner-delegated': "it uses the runner machine's own identity and stores nothing of its own",
}

/**
 * Refuses a field (or an option that stands for one) that the connection's auth mode does not
 * use: the validator drops such fields, and a user who typed one would otherwise believe it in
 * effect (capabilities on an IAM Identity Center connection, an MFA device on the runner's own
 * identity). `remedy` says what to do instead of leaving it out.
 */
export function refuseInapplicable(
  provider: ProviderSpec,
  mode: string,
  given: readonly GivenField[],
  { command, remedy }: { command: string; remedy: (modes: readonly AuthMode[]) => string },
): void {
  if (!provider.authModes.includes(mode as AuthMode)) return // the validator names the modes
  for (const { option, key } of given) {
    const spec = provider.fields.find((field) => field.key === key)
    if (!spec?.authModes || spec.authModes.includes(mode as AuthMode)) continue
    const modes = spec.authModes.filter((each) => provider.authModes.includes(each))
    const why =
      MODE_REASONS[mode as AuthMode] ?? `${spec.label} is used only in ${modes.join(' or ')}`
    throw new UsageError(
      `${option} does not apply to auth mode ${mode} (${authModeLabels[mode as AuthMode].label}): ${why}. Leave it out, ${remedy(modes)}.`,
      command,
    )
  }
}

/** A JSON or YAML file the user named (by extension, else by its first character), parsed. */
export function readDataFile(io: CliIO, path: string, what: string, help: string): unknown {
  const text = readValueFile(io, path, what)
  try {
    return ['.yaml', '.yml'].includes(extname(path).toLowerCase())
      ? parseYaml(text)
      : text.trimStart().startsWith('{') || text.trimStart().startsWith('[')
        ? parseJson(text)
        : parseYaml(text)
  } catch (error) {
    // A SyntaxProblem says where, never what: the text may hold secrets.
    if (!(error instanceof SyntaxProblem)) throw error
    throw new BridgekeepError('VALIDATION', `${path} ${error.message}.`, help)
  }
}

/** A file the user named, bounded (see readFileLimited); `what` names it: "a connection file". */
export function readValueFile(io: CliIO, path: string, what: string, limit?: number): string {
  const expanded = path.startsWith('~/') ? `${io.env.HOME ?? ''}${path.slice(1)}` : path
  return stripFinalNewline(
    readTextFileLimited(resolve(io.cwd, expanded), { what, ...(limit ? { limit } : {}) }),
  )
}

/**
 * A file's field values: YAML reads 5432 and true as a number and a boolean, the catalog takes
 * text. `where` names the file (and item) in messages.
 */
export function textValues(raw: unknown, where: string): Record<string, string> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new BridgekeepError('VALIDATION', `${where}: "values" must map field keys to values.`)
  const values: Record<string, string> = {}
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'string') values[key] = value
    else if (typeof value === 'number' || typeof value === 'boolean') values[key] = String(value)
    else
      throw new BridgekeepError(
        'VALIDATION',
        `${where}: the value of "${quoteKey(key)}" must be text.`,
      )
  }
  return values
}

/** Keys and ids typed by the user, cut short so a pasted secret does not fill the message. */
export function quoteKey(text: string): string {
  return text.length > 40 ? `${text.slice(0, 12)}…` : text
}

/**
 * `values` with the catalog's default for every field left out that has one (regions, ports, the
 * Kubernetes source...), as the app's form does before the user types anything: a field shown
 * only for a default choice (showWhen) then applies too. `add --from-file` and `apply -f`.
 */
export function withFieldDefaults(
  providerId: string,
  authMode: string,
  given: Readonly<Record<string, string>>,
): Record<string, string> {
  const provider = getProvider(providerId)
  if (!provider) return { ...given }
  const defaults = Object.fromEntries(
    provider.fields.flatMap((field) =>
      field.defaultValue === undefined ? [] : [[field.key, field.defaultValue]],
    ),
  )
  const values = { ...given }
  for (const field of provider.fields) {
    if (field.defaultValue === undefined || values[field.key] !== undefined) continue
    if (fieldApplies(field, authMode as AuthMode, { ...defaults, ...values }))
      values[field.key] = field.defaultValue
  }
  return values
}
