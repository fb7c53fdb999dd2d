import { describe, expect, it } from 'vitest'
import { awsCapabilityIds } from '../aws/capabilities'
import { fieldApplies, fieldRequired } from './fields'
import { getProvider, providers, validateConnectionValues, type ProviderSpec } from './index'
import { secrets, validSet, validSets } from '../../../test/fixtures/provider-values'

const spec = (id: string): ProviderSpec => {
  const provider = getProvider(id)
  if (!provider) throw new Error(`no provider ${id}`)
  return provider
}

describe('valid example sets', () => {
  it('cover every provider and every auth mode', () => {
    for (const provider of validSets.map((set) => spec(set.provider)))
      for (const mode of provider.authModes)
        expect(validSets.some((set) => set.provider === provider.id && set.authMode === mode)).toBe(
          true,
        )
    const covered = new Set(validSets.map((set) => set.provider))
    expect(covered.size).toBe(providers.length)
  })

  it.each(validSets.map((set) => [set.name, set] as const))('%s passes', (_name, set) => {
    const provider = spec(set.provider)
    const result = validateConnectionValues(set.provider, set.authMode, set.values)
    if (!result.ok) throw new Error(JSON.stringify(result.issues))
    for (const key of Object.keys(result.secrets))
      expect(provider.fields.find((field) => field.key === key)?.secret).toBe(true)
    for (const key of Object.keys(result.config))
      expect(provider.fields.find((field) => field.key === key)?.secret).toBe(false)
    // Every given value lands on its side (it applies in these sets).
    for (const field of provider.fields) {
      if (set.values[field.key] === undefined) continue
      const side = field.secret ? result.secrets : result.config
      expect(side[field.key], field.key).toBeDefined()
    }
    if (set.config) expect(result.config).toEqual(set.config)
  })

  it('normalizes secrets (base64 key to canonical JSON, base64 CA to PEM)', () => {
    const gcp = validateConnectionValues(
      'gcp',
      'inline',
      validSet('gcp inline base64 with project override').values,
    )
    expect(gcp.ok && JSON.parse(gcp.secrets.service_account_key ?? '')).toMatchObject({
      type: 'service_account',
    })
    const aws = validateConnectionValues('aws', 'inline', validSet('aws inline').values)
    expect(aws.ok && aws.secrets).toEqual({
      access_key_id: secrets.accessKeyId,
      secret_access_key: secrets.secretAccessKey,
    })
  })

  it('trims values and treats blanks as absent', () => {
    const result = validateConnectionValues('github', 'inline', {
      token: `  ${secrets.ghClassic}\n`,
      api_url: '   ',
    })
    expect(result).toEqual({
      ok: true,
      config: { api_url: 'https://api.github.com' },
      secrets: { token: secrets.ghClassic },
    })
  })
})

describe('fields that do not apply', () => {
  it('drops fields of other auth modes, even invalid ones', () => {
    const result = validateConnectionValues('aws', 'runner-delegated', {
      default_region: 'us-west-2',
      access_key_id: 'not-a-key',
      secret_access_key: secrets.secretAccessKey,
      role_arn: 'nope',
    })
    expect(result).toEqual({
      ok: true,
      config: { default_region: 'us-west-2', capabilities: awsCapabilityIds.join(',') },
      secrets: {},
    })
  })

  it('drops the fields of the other Kubernetes source', () => {
    const result = validateConnectionValues('kubernetes', 'inline', {
      ...validSet('kubernetes token').values,
      kubeconfig: 'garbage: [',
      context: 'whatever',
    })
    expect(result.ok).toBe(true)
    if (result.ok) {
      expect(result.secrets).toEqual({ token: secrets.k8sToken })
      expect(result.config.context).toBeUndefined()
    }
  })

  it('exposes applicability and requiredness helpers for the forms', () => {
    const aws = spec('aws')
    const key = aws.fields.find((field) => field.key === 'access_key_id')
    if (!key) throw new Error('no access_key_id')
    expect(fieldApplies(key, 'runner-delegated', {})).toBe(false)
    expect(fieldRequired(key, 'inline')).toBe(true)
    expect(fieldRequired(key, 'cross-account')).toBe(false)
    const token = spec('kubernetes').fields.find((field) => field.key === 'token')
    if (!token) throw new Error('no token')
    expect(fieldApplies(token, 'inline', { source: 'token' })).toBe(true)
    expect(fieldApplies(token, 'inline', { source: 'kubeconfig' })).toBe(false)
  })

  it('gives an IAM Identity Center connection only the sign-in fields and what verify uses', () => {
    const aws = spec('aws')
    const applying = (mode: 'sso' | 'inline') =>
      aws.fields.filter((field) => fieldApplies(field, mode, {})).map((field) => field.key)
    // The permission set decides the account and what the role may do: no Account ID, no
    // Capabilities, and nothing of stored keys or an assumed role.
    expect(applying('sso')).toEqual([
      'default_region',
      'sso_start_url',
      'sso_region',
      'sso_account_id',
      'sso_role_name',
      'sts_endpoint',
      'iam_endpoint',
      'ca_certificate',
    ])
    expect(applying('inline')).toEqual(expect.arrayContaining(['account_id', 'capabilities']))
    // A value for a field that does not apply is dropped, not stored.
    const result = validateConnectionValues('aws', 'sso', {
      sso_start_url: 'https://my-org.awsapps.com/start',
      sso_region: 'eu-west-1',
      sso_account_id: '111122223333',
      sso_role_name: 'ReadOnly',
      default_region: 'eu-west-1',
      account_id: '999999999999',
      capabilities: 's3',
    })
    expect(result.ok && Object.keys(result.config).sort()).toEqual([
      'default_region',
      'sso_account_id',
      'sso_region',
      'sso_role_name',
      'sso_start_url',
    ])
  })
})

describe('form-level problems', () => {
  it('reports unknown fields by key', () => {
    const result = validateConnectionValues('github', 'inline', {
      token: secrets.ghClassic,
      tokne: 'x',
    })
    expect(result).toEqual({
      ok: false,
      issues: [{ field: 'tokne', message: 'Unknown field "tokne" for GitHub.' }],
    })
  })

  it('reports an unknown provider or auth mode', () => {
    const provider = validateConnectionValues('heroku', 'inline', {})
    expect(!provider.ok && provider.issues[0]?.message).toMatch(/^Unknown provider "heroku"/)
    const mode = validateConnectionValues('github', 'cross-account', {})
    expect(!mode.ok && mode.issues).toEqual([
      {
        field: '',
        message: 'Auth mode "cross-account" is not available for GitHub. Use one of: inline.',
      },
    ])
  })
})

describe('missing required fields', () => {
  const cases = validSets.flatMap((set) => {
    const provider = spec(set.provider)
    return provider.fields
      .filter(
        (field) =>
          set.values[field.key] !== undefined &&
          fieldApplies(field, set.authMode, set.values) &&
          fieldRequired(field, set.authMode),
      )
      .map((field) => [set.name, field.key, field.label, field.secret, set] as const)
  })

  it.each(cases)('%s without %s', (_name, key, label, _secret, set) => {
    const values = { ...set.values, [key]: '' }
    const result = validateConnectionValues(set.provider, set.authMode, values)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.issues).toHaveLength(1)
    expect(result.issues[0]?.field).toBe(key)
    expect(result.issues[0]?.message).toMatch(new RegExp(`^${label}: required\\. \\S`))
  })

  it.each(cases.filter((entry) => entry[3]))(
    '%s without %s is fine while editing (the stored secret is kept)',
    (_name, key, _label, _secret, set) => {
      const values = { ...set.values }
      delete values[key]
      const result = validateConnectionValues(set.provider, set.authMode, values, {
        keepExistingSecrets: true,
      })
      if (!result.ok) throw new Error(JSON.stringify(result.issues))
      expect(result.secrets[key]).toBeUndefined()
    },
  )

  it.each(cases.filter((entry) => entry[3]))(
    '%s with %s a reference is complete (read at each use, content unknown)',
    (_name, key, _label, _secret, set) => {
      const values = { ...set.values }
      delete values[key]
      const result = validateConnectionValues(set.provider, set.authMode, values, {
        referenced: [key],
      })
      if (!result.ok) throw new Error(JSON.stringify(result.issues))
      expect(result.secrets[key]).toBeUndefined()
    },
  )

  it('still validates secrets that are given while editing', () => {
    const result = validateConnectionValues(
      'github',
      'inline',
      { token: 'nope' },
      { keepExistingSecrets: true },
    )
    expect(result.ok).toBe(false)
  })

  it('gives a hint after "required."', () => {
    const result = validateConnectionValues('aws', 'inline', { default_region: 'us-west-2' })
    expect(!result.ok && result.issues).toEqual([
      {
        field: 'access_key_id',
        message:
          'Access key ID: required. Paste the 20-character ID starting with AKIA (e.g. AKIAIOSFODNN7EXAMPLE).',
      },
      {
        field: 'secret_access_key',
        message:
          'Secret access key: required. Paste the 40-character secret shown when the access key was created.',
      },
    ])
  })
})

describe('normalization details', () => {
  it('accepts IPv6 hosts, bracketed or not', () => {
    for (const host of ['[fd00::17]', 'FD00::17']) {
      const result = validateConnectionValues('postgres', 'inline', {
        ...validSet('postgres defaults').values,
        host,
      })
      expect(result.ok && result.config.host).toBe('fd00::17')
    }
  })
})
