import { z } from 'zod'
import type { Option } from './regions'
import type { AuthMode, CheckContext, FieldIssue, FieldSpec } from './types'

/**
 * Validators are plain functions from a trimmed, non-empty value to a normalized value or a
 * problem; defineField wraps them in a zod schema that prefixes the label, so every message
 * starts with it. A problem for a secret field must never include the value.
 */
export type Parsed = { ok: true; value: string } | { ok: false; problem: string }
export type Parser = (value: string) => Parsed

export const ok = (value: string): Parsed => ({ ok: true, value })
export const fail = (problem: string): Parsed => ({ ok: false, problem })

/** Runs parsers in turn, each on the previous one's normalized value. */
export function all(...parsers: Parser[]): Parser {
  return (value) => {
    let result = ok(value)
    for (const parse of parsers) {
      if (!result.ok) return result
      result = parse(result.value)
    }
    return result
  }
}

/** A NON-secret value quoted in a message: one line, at most 60 characters. */
export function quote(value: string): string {
  const line = value.replace(/\p{Cc}+/gu, ' ')
  return `"${line.length > 60 ? `${line.slice(0, 57)}…` : line}"`
}

export interface FieldInit extends Omit<FieldSpec, 'schema' | 'secret' | 'required' | 'input'> {
  /** Defaults to 'password' for secrets, 'select' with options, 'text' otherwise. */
  input?: FieldSpec['input']
  secret?: boolean
  required?: boolean
  /** Defaults to a check against `options` for selects and 'true'/'false' for checkboxes. */
  parse?: Parser
  /** Follows "<Label>: required." — where to find the value. Derived from the example if absent. */
  missing?: string
}

const missingHints = new WeakMap<FieldSpec, string>()

export function defineField(init: FieldInit): FieldSpec {
  const { parse: given, missing, ...rest } = init
  const input = init.input ?? (init.secret ? 'password' : init.options ? 'select' : 'text')
  const parse = given ?? defaultParser(input, init.options)
  const hint =
    missing ??
    (init.options
      ? `Pick one, e.g. ${init.defaultValue ?? init.options[0]?.value ?? ''}.`
      : init.example
        ? `Enter one, e.g. ${init.example}.`
        : 'Enter a value.')
  // Drop keys given as undefined (awsKeyFields passes its options through) to keep specs tidy.
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined))
  // Built on first use: the catalog has a few hundred fields, and a command that validates none
  // (exec, credential-process) should not pay for building their schemas at start-up.
  let schema: FieldSpec['schema'] | undefined
  const spec: FieldSpec = {
    ...(defined as typeof rest),
    input,
    secret: init.secret ?? false,
    required: init.required ?? false,
    get schema() {
      schema ??= z.string().transform((raw, ctx) => {
        const value = raw.trim()
        const result = value === '' ? fail(`required. ${hint}`) : parse(value)
        if (result.ok) return result.value
        ctx.addIssue({ code: 'custom', message: `${init.label}: ${result.problem}` })
        return z.NEVER
      })
      return schema
    },
  }
  missingHints.set(spec, hint)
  return spec
}

/** "<Label>: required. <where to find it>" */
export function missingMessage(spec: FieldSpec): string {
  return `${spec.label}: required. ${missingHints.get(spec) ?? 'Enter a value.'}`
}

function defaultParser(input: FieldSpec['input'], options: readonly Option[] | undefined): Parser {
  if (input === 'checkbox') return checkbox
  if (options) return oneOf(options)
  return singleLine()
}

/** Whether a field applies: its auth modes and, for showWhen, the controlling field's value. */
export function fieldApplies(
  spec: FieldSpec,
  authMode: AuthMode,
  values: Readonly<Record<string, string | undefined>>,
): boolean {
  if (spec.authModes && !spec.authModes.includes(authMode)) return false
  if (!spec.showWhen) return true
  const controlling = values[spec.showWhen.field]?.trim().toLowerCase() ?? ''
  return spec.showWhen.values.some((value) => value.toLowerCase() === controlling)
}

/** Whether a field that applies must have a value in this mode. */
export function fieldRequired(spec: FieldSpec, authMode: AuthMode): boolean {
  return spec.required && !(spec.optionalIn ?? []).includes(authMode)
}

// ---- Shared parsers ---------------------------------------------------------------------------

export const checkbox: Parser = (value) => {
  const lower = value.toLowerCase()
  return lower === 'true' || lower === 'false'
    ? ok(lower)
    : fail(`must be "true" or "false", not ${quote(value)}.`)
}

/** Options match case-insensitively and normalize to the option's own spelling. */
export function oneOf(
  options: readonly Option[],
  unknown: (value: string) => string = (value) =>
    `${quote(value)} is not one of the choices: ${options.map((o) => o.value).join(', ')}.`,
): Parser {
  return (value) => {
    const option = options.find((o) => o.value.toLowerCase() === value.toLowerCase())
    return option ? ok(option.value) : fail(unknown(value))
  }
}

/** One line of printable text (names, paths): no line breaks or control characters. */
export function singleLine(max = 256): Parser {
  return (value) => {
    if (/\p{Cc}/u.test(value)) return fail('must be a single line without control characters.')
    return value.length > max ? fail(`must be at most ${max} characters.`) : ok(value)
  }
}

/**
 * A name tools take as an argument (a login name for ssh, sftp or smbclient): one starting with
 * "-" would be read as an option when a script passes it first, and is no account's name.
 */
export function notAnOption(parse: Parser): Parser {
  return (value) =>
    value.startsWith('-')
      ? fail('must not start with "-" (a tool would read it as an option).')
      : parse(value)
}

/** For secret fields: a token pasted whole — no spaces inside, sensible length. */
/** An object key prefix in a bucket (the state backends'): relative, one line. */
export const keyPrefix: Parser = (value) => {
  if (value.startsWith('/'))
    return fail(`${quote(value)} must not start with "/"; e.g. teams/platform.`)
  if (value.split('/').includes('..')) return fail(`${quote(value)} must not contain ".." parts.`)
  return singleLine(1024)(value)
}

export function opaqueSecret(min: number, max = 4096): Parser {
  return (value) => {
    if (/\s/.test(value))
      return fail('must not contain spaces or line breaks; paste the value only.')
    if (value.length < min) return fail(`is too short (at least ${min} characters); copy it whole.`)
    return value.length > max ? fail(`is too long (at most ${max} characters).`) : ok(value)
  }
}

export function integer(min: number, max: number): Parser {
  return (value) => {
    if (!/^\d+$/.test(value)) return fail(`${quote(value)} is not a whole number.`)
    const number = Number(value)
    return number >= min && number <= max
      ? ok(String(number))
      : fail(`${quote(value)} is out of range; use a number from ${min} to ${max}.`)
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export const isGuid = (value: string): boolean => GUID.test(value)

/** A GUID, braces tolerated (PowerShell prints them), normalized to lowercase. */
export function guid(where: string): Parser {
  return (value) => {
    const bare = value.replace(/^\{(.*)\}$/, '$1')
    return isGuid(bare)
      ? ok(bare.toLowerCase())
      : fail(`${quote(value)} is not a GUID (like 6f1a3c52-8d0e-4b7a-9c21-5e4f0a2b7d93). ${where}`)
  }
}

// Length first: the pattern backtracks quadratically on long inputs.
export const email: Parser = (value) =>
  value.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)
    ? ok(value)
    : fail(`${quote(value)} is not an email address (e.g. ops@example.com).`)

/** Same rule as SLUG_PATTERN in ../connections (not imported: that module may import this one). */
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

/** The slug of another connection in the vault whose credentials this one borrows. */
export function connectionSlug(kind: string, example: string): Parser {
  return (value) =>
    SLUG.test(value) && value.length <= 64
      ? ok(value)
      : fail(
          `${quote(value)} is not a connection slug. Use the slug of an existing ${kind} connection: lowercase letters, digits and single hyphens, e.g. ${example}.`,
        )
}

const DNS_NAME =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/

export const isIpv4 = (value: string): boolean => IPV4.test(value)

/** IPv6, checked by the URL parser (which knows every abbreviated form). */
function isIpv6(value: string): boolean {
  if (value.length > 45 || !/^[0-9a-f:.]+$/i.test(value) || !value.includes(':')) return false
  try {
    return new URL(`http://[${value}]/`).hostname !== ''
  } catch {
    return false
  }
}

/** A host name or IP address, without scheme, port or path. */
export function host(example: string): Parser {
  return (value) => {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value))
      return fail(`enter only the host name, without ${quote(value.split('//')[0] + '//')}.`)
    if (/^[^:[\]]+:\d+$/.test(value))
      return fail(`enter the host without the port (${quote(value)}); the port has its own field.`)
    const bare = value.replace(/^\[(.*)\]$/, '$1')
    if (IPV4.test(bare) || isIpv6(bare) || DNS_NAME.test(bare)) return ok(bare.toLowerCase())
    return fail(`${quote(value)} is not a host name or IP address (e.g. ${example}).`)
  }
}

/** host or host:port, as registries are named. */
export function hostWithPort(example: string): Parser {
  return (value) => {
    const match = /^([^:/\s]+)(?::(\d{1,5}))?$/.exec(value)
    const name = match?.[1]
    const port = match?.[2]
    if (!name || !(DNS_NAME.test(name) || IPV4.test(name)) || (port && Number(port) > 65535))
      return fail(`${quote(value)} is not a registry host (host or host:port, e.g. ${example}).`)
    return ok(value.toLowerCase())
  }
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * An http(s) URL used as an API base: no credentials, query or fragment; trailing slash removed.
 * Plain http only for loopback hosts (a local proxy or test server), never over a network.
 */
export function baseUrl(example: string): Parser {
  return (value) => {
    let url: URL
    try {
      url = new URL(value)
    } catch {
      return fail(`${quote(value)} is not a URL; use the full address, e.g. ${example}.`)
    }
    if (url.username || url.password)
      return fail('must not contain a user name or password; enter the address only.')
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      return fail(`must start with https://, e.g. ${example}.`)
    if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname))
      return fail(`must use https:// (plain http is only allowed for localhost), e.g. ${example}.`)
    if (url.search || url.hash) return fail('must not have a query string (?…) or fragment (#…).')
    return ok(`${url.origin}${url.pathname.replace(/\/+$/, '')}`)
  }
}

/** An https URL (Kubernetes API server, R2 endpoint): trailing slash removed. */
export function httpsUrl(example: string): Parser {
  return all(baseUrl(example), (value) =>
    value.startsWith('https://') ? ok(value) : fail(`must use https://, e.g. ${example}.`),
  )
}

/**
 * All or none of a group (a key ID and its secret): once one member has a value, name each
 * missing one. A kept secret (editing) never triggers the rule, but does count as given.
 */
export function missingFromGroup(
  values: Readonly<Record<string, string>>,
  context: CheckContext | undefined,
  group: readonly FieldSpec[],
  why: string,
): FieldIssue[] {
  if (!group.some((spec) => values[spec.key] !== undefined)) return []
  const has = presence(values, context)
  return group
    .filter((spec) => !has(spec.key))
    .map((spec) => ({ field: spec.key, message: `${spec.label}: required ${why}` }))
}

/**
 * Whether a check should treat a field as given: it has a valid value, or it is a secret left
 * empty while editing (the stored value is kept).
 */
export function presence(
  values: Readonly<Record<string, string>>,
  context: CheckContext | undefined,
): (key: string) => boolean {
  return (key) => values[key] !== undefined || (context?.kept.has(key) ?? false)
}
