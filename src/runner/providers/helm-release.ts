import { gunzipSync } from 'node:zlib'
import { failure } from './failure'

// Helm 3 keeps each revision of a release in a Secret (type helm.sh/release.v1) labelled
// owner=helm, name=<release>, version=<revision>, status=<deployed|superseded|failed|...>. Its
// data.release is, under Kubernetes' own base64, helm's encoding: base64 of the gzipped release
// JSON (helm reads plain JSON too). The values a release runs with are the chart's defaults
// (chart.values) with the user's (config) laid over them, as helm coalesces them.

/** A release's JSON is a few hundred kilobytes at most; refuse a gzip bomb rather than expand it. */
const MAX_RELEASE_BYTES = 16 * 1024 * 1024
const GZIP_MAGIC = [0x1f, 0x8b, 0x08]

export interface HelmRevision {
  version: number
  status: string
  /** data.release as the API server sent it (Kubernetes base64). */
  release: string | undefined
}

/** The revisions of a list of helm's release Secrets (items of a SecretList). */
export function helmRevisions(items: unknown): HelmRevision[] {
  if (!Array.isArray(items)) return []
  return items.flatMap((item): HelmRevision[] => {
    const secret = item as {
      metadata?: { labels?: Record<string, unknown> }
      data?: Record<string, unknown>
    }
    const labels = secret.metadata?.labels ?? {}
    const version = Number(labels.version)
    if (!Number.isSafeInteger(version)) return []
    const release = secret.data?.release
    return [
      {
        version,
        status: typeof labels.status === 'string' ? labels.status : 'unknown',
        release: typeof release === 'string' ? release : undefined,
      },
    ]
  })
}

/** The highest deployed revision, or undefined when none is deployed. */
export function deployedRevision(revisions: HelmRevision[]): HelmRevision | undefined {
  return revisions
    .filter((revision) => revision.status === 'deployed')
    .sort((a, b) => b.version - a.version)[0]
}

/** The release JSON of a revision, decoded as helm decodes it. */
export function decodeRelease(encoded: string, where: string): Record<string, unknown> {
  const unreadable = (why: string) =>
    failure(
      'unexpected',
      `${where} is not a release helm 3 wrote (${why}).`,
      'Check the release with helm history; a release written by another tool cannot be read.',
    )
  const helmEncoded = Buffer.from(encoded, 'base64').toString('latin1')
  let bytes = Buffer.from(helmEncoded, 'base64')
  if (GZIP_MAGIC.every((byte, index) => bytes[index] === byte)) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_RELEASE_BYTES })
    } catch {
      throw unreadable('its gzip data is damaged or too large')
    }
  }
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8'))
    if (isMap(parsed)) return parsed
  } catch {
    // reported below
  }
  throw unreadable('no release JSON inside')
}

/**
 * Values maps nested deeper than this are refused: real charts go a dozen levels deep, and a
 * hostile release nested a million levels would otherwise overflow the merge's stack.
 */
const MAX_VALUES_DEPTH = 100

/** chart.values with config laid over them: maps merge key by key, a null removes the key. */
export function releaseValues(
  release: Record<string, unknown>,
  where: string,
): Record<string, unknown> {
  const chart = release.chart
  const defaults = isMap(chart) && isMap(chart.values) ? chart.values : {}
  const config = isMap(release.config) ? release.config : {}
  return coalesce(defaults, config, 1, where)
}

function coalesce(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
  depth: number,
  where: string,
): Record<string, unknown> {
  if (depth > MAX_VALUES_DEPTH)
    throw failure(
      'unexpected',
      `${where} has values nested more than ${MAX_VALUES_DEPTH} levels deep.`,
      'Check the release with helm get values --all <release>; a chart this deep is not one helm users write.',
    )
  // Keys are defined, never assigned: a "__proto__" key of the values is a key like any other,
  // not the merged object's prototype.
  const merged: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(over)) {
    if (value === null) delete merged[key]
    else {
      const under = Object.hasOwn(merged, key) ? merged[key] : undefined
      Object.defineProperty(merged, key, {
        value: isMap(under) && isMap(value) ? coalesce(under, value, depth + 1, where) : value,
        enumerable: true,
        writable: true,
        configurable: true,
      })
    }
  }
  return merged
}

/**
 * The scalar at a dot path of the values, as text. The messages name keys, never values: a
 * missing step lists the keys that exist where it stopped.
 */
export function valueAt(values: Record<string, unknown>, path: string): string {
  const steps = path.split('.')
  let current: unknown = values
  for (const [index, step] of steps.entries()) {
    const here = steps.slice(0, index).join('.')
    if (!isMap(current) || !Object.hasOwn(current, step)) {
      const keys = isMap(current) ? Object.keys(current) : []
      throw failure(
        'wrong-target',
        `the release's values have no ${path} (${here ? `${here} has` : 'the top level has'} ${keys.length ? `the keys ${listed(keys)}` : 'no keys'}).`,
        'Check the path with helm get values --all <release>.',
      )
    }
    current = current[step]
  }
  if (typeof current === 'string') return current
  if (typeof current === 'number' || typeof current === 'boolean') return String(current)
  const what = Array.isArray(current) ? 'a list' : isMap(current) ? 'a map' : 'empty (null)'
  throw failure(
    'wrong-target',
    `the release's value ${path} is ${what}, not a single string, number or boolean.`,
    isMap(current)
      ? `Name one of its keys: ${listed(Object.keys(current).map((key) => `${path}.${key}`))}.`
      : 'Name a path that holds one value.',
  )
}

/** Key names for a message, at most 20 of them. */
export function listed(keys: string[]): string {
  const shown = keys.slice(0, 20).join(', ')
  return keys.length > 20 ? `${shown} and ${keys.length - 20} more` : shown
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
