import { describe, expect, it } from 'vitest'
import { fieldApplies } from './fields'
import { getProvider, providers, validateConnectionValues, type FieldSpec } from './index'
import { cloudInvalidValues } from '../../../test/fixtures/invalid-values-clouds'
import { serviceInvalidValues } from '../../../test/fixtures/invalid-values-services'
import {
  fake,
  kubeconfig,
  secrets,
  serviceAccountKey,
  validSet,
  validSets,
} from '../../../test/fixtures/provider-values'

/** [valid set to start from, field, invalid values] — every field of every provider. */
const table = [...cloudInvalidValues, ...serviceInvalidValues]

const labelOf = (providerId: string, key: string): FieldSpec => {
  const field = getProvider(providerId)?.fields.find((candidate) => candidate.key === key)
  if (!field) throw new Error(`${providerId} has no field ${key}`)
  return field
}

describe('invalid values', () => {
  it('the table covers every field of every provider', () => {
    const covered = new Set(table.map(([set, key]) => `${validSet(set).provider}.${key}`))
    const missing = providers
      .flatMap((provider) => provider.fields.map((field) => `${provider.id}.${field.key}`))
      .filter((entry) => !covered.has(entry))
    expect(missing).toEqual([])
  })

  const cases = table.flatMap(([setName, key, values]) =>
    values.map((value) => [setName, key, JSON.stringify(value).slice(0, 50), value] as const),
  )

  it.each(cases)('%s: %s = %s', (setName, key, _shown, value) => {
    const set = validSet(setName)
    const field = labelOf(set.provider, key)
    const values = { ...set.values, [key]: value }
    expect(fieldApplies(field, set.authMode, values)).toBe(true)
    const result = validateConnectionValues(set.provider, set.authMode, values)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.issues).toHaveLength(1)
    const [issue] = result.issues
    expect(issue?.field).toBe(key)
    expect(issue?.message.startsWith(`${field.label}: `)).toBe(true)
    expect(issue?.message).toMatch(/[.)?]$/)
    if (field.secret) expect(issue?.message).not.toContain(value.trim())
  })
})

describe('secret values never appear in messages', () => {
  const canary = `C4NARY${Math.random().toString(36).slice(2, 10).toUpperCase()}`
  /** Invalid values in many shapes, each carrying the canary where a parser might echo it. */
  const shapes = [
    `${canary} \u0007 invalid`,
    `${canary}`,
    `AKIA${canary}`,
    `ghp_${canary}`,
    `glpat-${canary}!`,
    `dop_v1_${canary}`,
    `Bearer ${canary}`,
    `{"type":"service_account","project_id":"${canary}"`,
    `{"type":"${canary}","private_key":"${canary}"}`,
    btoa(
      serviceAccountKey({
        private_key: `-----BEGIN PRIVATE KEY-----\n${canary}\n-----END PRIVATE KEY-----`,
      }),
    ),
    serviceAccountKey({ client_email: canary }),
    `-----BEGIN CERTIFICATE-----\n${canary}\n-----END CERTIFICATE-----`,
    `apiVersion: v1\nkind: Config\ncontexts:\n- name: ${canary}\n  context: [${canary}`,
    `apiVersion: v1\nkind: ${canary}`,
    `apiVersion: v1\nkind: Config\ncontexts:\n- name: ${canary}\n  context:\n    cluster: ${canary}\n    user: x`,
    `${canary}: *${canary}`,
    `key: !!${canary} value\nother: [`,
  ]
  // Every set where a given secret field applies; each shape in each of them.
  const cases = validSets.flatMap((set) => {
    const provider = getProvider(set.provider)
    return (provider?.fields ?? [])
      .filter((field) => field.secret && fieldApplies(field, set.authMode, set.values))
      .map((field) => [set.name, field.key, set] as const)
  })

  it.each(cases)('%s: %s', (_name, key, set) => {
    for (const shape of shapes) {
      const result = validateConnectionValues(set.provider, set.authMode, {
        ...set.values,
        [key]: shape,
      })
      if (shape.includes('\u0007')) expect(result.ok).toBe(false)
      if (result.ok) continue
      for (const issue of result.issues) expect(issue.message).not.toContain(canary)
    }
  })

  it('a secret value in a cross-field message would be redacted', () => {
    // ASIA key without a session token: the message talks about the key but must not quote it.
    const result = validateConnectionValues('aws', 'inline', {
      access_key_id: secrets.tempAccessKeyId,
      secret_access_key: secrets.secretAccessKey,
      default_region: 'us-west-2',
    })
    expect(!result.ok && result.issues.map((issue) => issue.field)).toEqual(['session_token'])
    expect(JSON.stringify(result)).not.toContain(secrets.tempAccessKeyId)
  })

  it('a long token of the right shape but wrong length is described, not quoted', () => {
    const token = `ghp_${fake('', 30, 'Zq9')}`
    const result = validateConnectionValues('github', 'inline', { token })
    expect(JSON.stringify(result)).not.toContain(token.slice(4))
  })

  it('kubeconfig YAML errors give a position, not a snippet', () => {
    const text = `${kubeconfig()}\npreferences: [C4NARYSNIPPET`
    const result = validateConnectionValues('kubernetes', 'inline', {
      source: 'kubeconfig',
      kubeconfig: text,
    })
    expect(!result.ok && result.issues[0]?.message).toMatch(
      /^Kubeconfig: is not valid YAML \(line \d+, column \d+\)/,
    )
    expect(JSON.stringify(result)).not.toContain('C4NARYSNIPPET')
  })
})

describe('hostile input', () => {
  // 64 KiB is the most a form value may hold (connections.ts). Deep nesting once crashed the
  // process from inside the YAML parser; quadratic patterns took seconds.
  const inputs = [
    '['.repeat(60_000),
    '- '.repeat(32_000),
    `a@${'a.'.repeat(32_000)}!`,
    '-----BEGIN A-----'.repeat(3_800),
    '$('.repeat(32_000),
    'a:'.repeat(32_000),
  ]
  const cases = providers.map((provider) => {
    const set = validSets.find((candidate) => candidate.provider === provider.id)
    if (!set) throw new Error(`no valid set for ${provider.id}`)
    return [provider.id, set] as const
  })

  it.each(cases)('%s stays fast', (_id, set) => {
    const provider = getProvider(set.provider)
    for (const field of provider?.fields ?? [])
      for (const input of inputs) {
        const started = performance.now()
        validateConnectionValues(set.provider, set.authMode, { ...set.values, [field.key]: input })
        expect(performance.now() - started, `${field.key}: ${input.slice(0, 8)}`).toBeLessThan(
          1_000,
        )
      }
  })
})
