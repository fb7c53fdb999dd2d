import { describe, expect, it } from 'vitest'
import { maskSecret, normalizeServiceAccountKey, parseKubeconfig } from './index'
import { kubeconfig, serviceAccountKey } from '../../../test/fixtures/provider-values'

describe('maskSecret', () => {
  it('hides short values completely, with a fixed width', () => {
    expect(maskSecret('hunter2', false)).toBe('••••••••')
    expect(maskSecret('hunter2', true)).toBe('••••••••')
    expect(maskSecret('x'.repeat(15), true)).toBe('••••••••')
    expect(maskSecret('', true)).toBe('••••••••')
  })

  it('shows the last 4 only when asked and the value has 16+ characters', () => {
    expect(maskSecret('AKIAIOSFODNN7EXAMPLE', true)).toBe('••••••••MPLE')
    expect(maskSecret('AKIAIOSFODNN7EXAMPLE', false)).toBe('••••••••')
    expect(maskSecret('0123456789abcdef', true)).toBe('••••••••cdef')
  })
})

describe('parseKubeconfig', () => {
  it('lists contexts with their cluster, user and server', () => {
    expect(parseKubeconfig(kubeconfig())).toEqual({
      currentContext: 'prod-eu',
      contexts: [
        {
          name: 'prod-eu',
          cluster: 'prod-eu',
          user: 'deployer',
          server: 'https://k8s.example.com:6443',
        },
        {
          name: 'staging',
          cluster: 'staging',
          user: 'deployer',
          server: 'https://staging.k8s.example.com',
        },
      ],
    })
  })

  it('accepts JSON and base64, and a missing current-context', () => {
    const json = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      contexts: [{ name: 'kind-dev', context: { cluster: 'kind-dev', user: 'kind-dev' } }],
    })
    expect(parseKubeconfig(json)).toEqual({
      contexts: [{ name: 'kind-dev', cluster: 'kind-dev', user: 'kind-dev' }],
    })
    expect(parseKubeconfig(btoa(kubeconfig({ current: null }))).currentContext).toBeUndefined()
  })

  it('throws a clear message on bad YAML, without quoting it', () => {
    const text = 'apiVersion: v1\nkind: Config\ncontexts:\n  - name: "unterminated SECRETBIT\n'
    expect(() => parseKubeconfig(text)).toThrow(
      /^Kubeconfig: is not valid YAML \(line \d+, column \d+\)/,
    )
    try {
      parseKubeconfig(text)
    } catch (error) {
      expect((error as Error).message).not.toContain('SECRETBIT')
    }
  })

  it('throws on documents that are not kubeconfigs', () => {
    expect(() => parseKubeconfig('just a string')).toThrow(/is not a kubeconfig/)
    expect(() => parseKubeconfig('apiVersion: apps/v1\nkind: Deployment')).toThrow(
      /is not a kubeconfig/,
    )
    expect(() => parseKubeconfig('apiVersion: v1\nkind: Config\ncontexts: nope')).toThrow(
      /"contexts" must be a list/,
    )
  })

  it('throws when there are no contexts', () => {
    expect(() => parseKubeconfig('apiVersion: v1\nkind: Config\nclusters: []\n')).toThrow(
      /^Kubeconfig: has no contexts/,
    )
  })

  it('survives alias bombs', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i < 12; i++)
      bomb.push(
        `${'b'.repeat(i)}: &b${i} [${Array(9)
          .fill(i === 1 ? '*a' : `*b${i - 1}`)
          .join(', ')}]`,
      )
    expect(() => parseKubeconfig(bomb.join('\n'))).toThrow(/^Kubeconfig: /)
  })
})

describe('normalizeServiceAccountKey', () => {
  const key = serviceAccountKey()
  const canonical = JSON.stringify(JSON.parse(key), null, 2)

  it('returns canonical JSON for raw JSON', () => {
    expect(normalizeServiceAccountKey(`\n  ${key}  \n`)).toBe(canonical)
  })

  it('decodes base64 (standard, URL-safe, wrapped)', () => {
    const base64 = btoa(key)
    expect(normalizeServiceAccountKey(base64)).toBe(canonical)
    expect(
      normalizeServiceAccountKey(base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')),
    ).toBe(canonical)
    expect(normalizeServiceAccountKey(base64.match(/.{1,76}/g)?.join('\n') ?? '')).toBe(canonical)
  })

  it('rejects garbage with a message that quotes nothing', () => {
    for (const garbage of [
      'SECRETBIT not json',
      btoa('SECRETBIT plain text'),
      '{"SECRETBIT": ',
      '[1, 2]',
      btoa('[1]'),
    ]) {
      expect(() => normalizeServiceAccountKey(garbage)).toThrow(/^Service account key: /)
      try {
        normalizeServiceAccountKey(garbage)
      } catch (error) {
        expect((error as Error).message).not.toContain('SECRETBIT')
      }
    }
  })
})
