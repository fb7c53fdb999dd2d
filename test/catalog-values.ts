import { randomInt } from 'node:crypto'
import {
  validateConnectionValues,
  type AuthMode,
  type FieldSpec,
  type ProviderSpec,
} from '../src/shared/providers'
import { validSets } from './fixtures/provider-values'

const applies = (field: FieldSpec, authMode: AuthMode) =>
  !field.authModes || field.authModes.includes(authMode)
const sample = (field: FieldSpec) =>
  field.example ?? field.defaultValue ?? field.options?.[0]?.value

/**
 * A valid form for a provider and auth mode: the catalog tests' valid set for it when there is
 * one, else one built from the catalog's own examples (the required fields, plus whichever
 * optional ones the provider's rules turn out to need, found greedily).
 */
export function exampleValues(provider: ProviderSpec, authMode: AuthMode): Record<string, string> {
  const known = validSets.find((set) => set.provider === provider.id && set.authMode === authMode)
  if (known) return { ...known.values }
  const fields = provider.fields.filter(
    (field) => applies(field, authMode) && sample(field) !== undefined,
  )
  const values: Record<string, string> = {}
  for (const field of fields) if (field.required) values[field.key] = sample(field)!
  const issues = () => {
    const result = validateConnectionValues(provider.id, authMode, values)
    return result.ok ? 0 : result.issues.length
  }
  let count = issues()
  for (const field of fields) {
    if (count === 0) break
    if (field.key in values) continue
    values[field.key] = sample(field)!
    const next = issues()
    if (next < count) count = next
    else delete values[field.key]
  }
  if (count !== 0) {
    const result = validateConnectionValues(provider.id, authMode, values)
    throw new Error(
      `No valid example form for ${provider.id}/${authMode}: ${JSON.stringify(result.ok ? [] : result.issues)}`,
    )
  }
  return values
}

const DIGITS = '0123456789'
const LOWER = 'abcdefghijklmnopqrstuvwxyz'
const UPPER = LOWER.toUpperCase()
const HEX_LOWER = '0123456789abcdef'

/** Replaces each letter and digit after `keep` characters with a random one of the same kind. */
export function randomizeLike(value: string, keep: number): string {
  const pick = (set: string) => set[randomInt(set.length)]!
  return Array.from(value, (char, index) => {
    if (index < keep) return char
    if (DIGITS.includes(char)) return pick(DIGITS)
    if (HEX_LOWER.includes(char) && /^[0-9a-f]+$/.test(value.slice(keep))) return pick(HEX_LOWER)
    if (LOWER.includes(char)) return pick(LOWER)
    if (UPPER.includes(char)) return pick(UPPER)
    return char
  }).join('')
}

/**
 * The example form with every secret field replaced by a fresh random value that still passes
 * validation: random canaries that tests then look for in files, logs and IPC results.
 */
export function canaryValues(
  provider: ProviderSpec,
  authMode: AuthMode,
): { values: Record<string, string>; canaries: string[]; identifiers: string[] } {
  const values = exampleValues(provider, authMode)
  const canaries: string[] = []
  // Those planted in identifier fields (access key IDs), which the app's details page shows.
  const identifiers: string[] = []
  for (const field of provider.fields) {
    if (!field.secret || !(field.key in values)) continue
    const original = values[field.key]!
    for (const { candidate, canary } of variants(original)) {
      values[field.key] = candidate
      if (validateConnectionValues(provider.id, authMode, values).ok) {
        canaries.push(canary)
        if (field.identifier) identifiers.push(canary)
        break
      }
      values[field.key] = original
    }
  }
  return { values, canaries, identifiers }
}

/**
 * Random variants of a value, most thorough first: the whole value after a kept prefix (tokens
 * with fixed prefixes), then one long alphanumeric run inside it at a time (a key id inside a
 * JSON key file, a token inside a kubeconfig), leaving the structure around it intact.
 */
function* variants(original: string): Generator<{ candidate: string; canary: string }> {
  for (const keep of [0, 4, 8, 12, 16, 24, 40, 64]) {
    const candidate = randomizeLike(original, keep)
    if (candidate !== original && candidate.length - keep >= 12) {
      yield { candidate, canary: longestRandomRun(candidate, keep) }
    }
  }
  const runs = [...original.matchAll(/[A-Za-z0-9]{16,}/g)].sort((a, b) => b[0].length - a[0].length)
  for (const run of runs) {
    const randomized = randomizeLike(run[0], 0)
    if (randomized === run[0]) continue
    yield {
      candidate:
        original.slice(0, run.index) + randomized + original.slice(run.index + run[0].length),
      canary: randomized,
    }
  }
}

/** The randomized part of a value: what no other value in the test can contain by chance. */
function longestRandomRun(value: string, keep: number): string {
  return (
    value
      .slice(keep)
      .split(/[^A-Za-z0-9]+/)
      .sort((a, b) => b.length - a.length)[0] ?? value
  )
}
