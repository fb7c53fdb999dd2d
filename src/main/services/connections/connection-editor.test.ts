import { describe, expect, it } from 'vitest'
import { providers } from '../../../shared/providers'
import { validSets } from '../../../../test/fixtures/provider-values'
import { unlockedServices } from '../../../../test/services'

describe('ConnectionEditor: switching methods', () => {
  it('Cloudflare: replacing the API token with a global key drops the token', async () => {
    const { services } = await unlockedServices()
    const token = validSets.find(
      (set) => set.provider === 'cloudflare' && 'api_token' in set.values,
    )!
    const globalKey = validSets.find(
      (set) => set.provider === 'cloudflare' && 'global_api_key' in set.values,
    )!
    const created = services.connections.create({
      name: 'cf',
      provider: 'cloudflare',
      authMode: 'inline',
      values: token.values,
    })
    const switched = services.connections.update({ id: created.id, values: globalKey.values })
    expect(switched.secretVersion).toBe(2)
    expect(switched.secrets.map((s) => s.field).sort()).toEqual(
      Object.keys(globalKey.values)
        .filter(
          (k) =>
            providers.find((p) => p.id === 'cloudflare')!.fields.find((f) => f.key === k)?.secret,
        )
        .sort(),
    )
  })

  it('Kubernetes: switching the source from kubeconfig to a token drops the kubeconfig', async () => {
    const { services } = await unlockedServices()
    const kubeconfigSet = validSets.find(
      (set) => set.provider === 'kubernetes' && set.values.source === 'kubeconfig',
    )!
    const tokenSet = validSets.find(
      (set) => set.provider === 'kubernetes' && set.values.source === 'token',
    )!
    const created = services.connections.create({
      name: 'k8s',
      provider: 'kubernetes',
      authMode: 'inline',
      values: kubeconfigSet.values,
    })
    const switched = services.connections.update({ id: created.id, values: tokenSet.values })
    expect(switched.secrets.map((s) => s.field)).not.toContain('kubeconfig')
    expect(switched.secrets.map((s) => s.field)).toContain('token')
  })

  it('an edit that leaves secrets empty keeps them and writes no version', async () => {
    const { services } = await unlockedServices()
    const set = validSets.find((s) => s.provider === 'aws' && s.authMode === 'inline')!
    const created = services.connections.create({
      name: 'aws',
      provider: 'aws',
      authMode: 'inline',
      values: set.values,
    })
    const edited = services.connections.update({
      id: created.id,
      values: { access_key_id: '', secret_access_key: '', default_region: 'eu-west-1' },
    })
    expect(edited.secretVersion).toBe(1)
    expect(edited.config.default_region).toBe('eu-west-1')
    expect(services.connections.reveal(created.id, 'secret_access_key')).toBe(
      services.connections.storedSecrets(created.id).secrets.secret_access_key,
    )
  })
})
