// `bridgekeep add --from-file`: the connections a JSON or YAML file holds, checked field by field
// so that a bad file names what is wrong where, before anything is added.
import { BridgekeepError } from '../shared/errors'
import { getProvider, providerIds, type ProviderSpec } from '../shared/providers'
import type { SecretReference } from '../shared/secret-reference'
import type { CliIO } from './framework/io'
import { UsageError } from './framework/errors'
import { quoteKey, readDataFile, refuseInapplicable, textValues } from './field-values'

/** What `--from-file` holds: one connection, or a list added all together or not at all. */
export interface ConnectionFile {
  name: string
  provider: string
  authMode: string
  slug?: string
  labels?: string[]
  notes?: string
  values: Record<string, string>
  /** Secret fields that hold a reference instead of a value (--ref). */
  references?: Record<string, SecretReference>
  /** Environments (names or slugs) to authorize it for, as it is added. */
  environments?: string[]
}

export function fileConnections(
  io: CliIO,
  path: string,
  positionals: string[],
  fields: string[],
): ConnectionFile[] {
  if (positionals.length > 0 || fields.length > 0)
    throw new UsageError(
      '--from-file takes everything from the file: leave out the provider, --field, --ref, --capabilities and --stack-name.',
      'add',
    )
  const parsed = readDataFile(
    io,
    path,
    'a connection file',
    'Check its syntax; see bridgekeep add --help for the shape.',
  )
  const list = Array.isArray(parsed) ? parsed : [parsed]
  if (list.length === 0) throw new BridgekeepError('VALIDATION', `${path} holds no connection.`)
  return list.map((item, index) =>
    connectionFromFile(item, list.length > 1 ? `${path} #${index + 1}` : path),
  )
}

function connectionFromFile(item: unknown, where: string): ConnectionFile {
  if (typeof item !== 'object' || item === null || Array.isArray(item))
    throw new BridgekeepError(
      'VALIDATION',
      `${where}: each connection must be an object with name, provider and values.`,
    )
  const record = item as Record<string, unknown>
  const known = [
    'name',
    'provider',
    'authMode',
    'slug',
    'labels',
    'notes',
    'values',
    'environments',
  ]
  const unknown = Object.keys(record).filter((key) => !known.includes(key))
  if (unknown.length > 0)
    throw new BridgekeepError(
      'VALIDATION',
      `${where}: unknown key ${unknown.map((key) => `"${quoteKey(key)}"`).join(', ')}.`,
      `A connection has ${known.join(', ')}; provider fields go under "values".`,
    )
  const provider = requireProvider(String(record.provider ?? ''))
  const values = textValues(record.values ?? {}, where)
  const authMode = typeof record.authMode === 'string' ? record.authMode : provider.defaultAuthMode
  refuseInapplicable(
    provider,
    authMode,
    Object.keys(values).map((key) => ({ key, option: `${where}: values.${quoteKey(key)}` })),
    { command: 'add', remedy: (modes) => `or set "authMode" to ${modes.join(' or ')}` },
  )
  return {
    name: typeof record.name === 'string' ? record.name : '',
    provider: provider.id,
    authMode,
    ...(typeof record.slug === 'string' ? { slug: record.slug } : {}),
    labels: Array.isArray(record.labels) ? record.labels.map(String) : [],
    ...(typeof record.notes === 'string' ? { notes: record.notes } : {}),
    values,
    ...(record.environments === undefined
      ? {}
      : { environments: environmentRefs(record.environments, where) }),
  }
}

function environmentRefs(value: unknown, where: string): string[] {
  const list = typeof value === 'string' ? [value] : value
  if (!Array.isArray(list) || list.some((item) => typeof item !== 'string' || item === ''))
    throw new BridgekeepError(
      'VALIDATION',
      `${where}: "environments" must be a list of environment names or slugs.`,
      'For example: environments: [development, staging]',
    )
  return list as string[]
}

export function requireProvider(id: string): ProviderSpec {
  const provider = getProvider(id.trim().toLowerCase())
  if (!provider)
    throw new BridgekeepError(
      'VALIDATION',
      `"${quoteKey(id)}" is not a provider Bridgekeep knows.`,
      `Providers: ${providerIds.join(', ')}.`,
    )
  return provider
}
