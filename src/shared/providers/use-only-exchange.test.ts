import { describe, expect, it } from 'vitest'
import { providers } from './catalog'
import { providerIds } from './ids'
import { useOnlyDelivery } from './use-only-exchange'

describe('what a use-only recipient’s tool receives', () => {
  it('says something for every provider and every auth mode it offers', () => {
    // The catalog lists every provider id (its Record type makes a missing one fail to compile).
    for (const { id, authModes } of providers) {
      for (const mode of authModes) {
        const delivery = useOnlyDelivery(id, mode)
        expect(delivery.what, `${id} ${mode}`).toMatch(/\S/)
        // Never both: a connection hands its secret over as it is, or exchanges it, or has none.
        expect(delivery.exposed && delivery.exchanged, `${id} ${mode}`).toBe(false)
      }
    }
    expect(providers.map((p) => p.id)).toEqual([...providerIds])
  })

  it('exchanges cloud keys for short-lived credentials', () => {
    expect(useOnlyDelivery('aws', 'inline')).toEqual({
      exposed: false,
      exchanged: true,
      what: 'an STS session (1 h)',
    })
    expect(useOnlyDelivery('aws', 'cross-account').exposed).toBe(false)
    // The connection's Session duration, which travels with a share.
    expect(useOnlyDelivery('aws', 'inline', { session_duration: '2h30m' }).what).toBe(
      'an STS session (2 h 30 min)',
    )
    expect(useOnlyDelivery('aws', 'cross-account', { session_duration: '15m' }).what).toBe(
      'an STS session of the assumed role (15 min)',
    )
    expect(useOnlyDelivery('azure', 'runner-delegated').exposed).toBe(false)
  })

  it('exchanges Google Cloud keys and Azure client secrets for access tokens', () => {
    expect(useOnlyDelivery('gcp', 'inline')).toEqual({
      exposed: false,
      exchanged: true,
      what: 'an OAuth access token (1 h), no key file',
    })
    expect(useOnlyDelivery('azure', 'inline')).toEqual({
      exposed: false,
      exchanged: true,
      what: 'a Resource Manager access token (1 h), no client secret',
    })
    expect(
      useOnlyDelivery('azure', 'inline', { token_scope: 'https://vault.azure.net/.default' }).what,
    ).toBe('an access token for https://vault.azure.net (1 h), no client secret')
    expect(useOnlyDelivery('gcp', 'runner-delegated').exchanged).toBe(false)
  })

  it('hands static tokens, passwords and keys over as they are', () => {
    for (const id of ['github', 'gitlab', 'dockerhub'] as const) {
      expect(useOnlyDelivery(id, 'inline'), id).toEqual({
        exposed: true,
        exchanged: false,
        what: 'the token itself',
      })
    }
    for (const id of ['digitalocean', 'civo', 'cloudflare', 'http'] as const) {
      expect(useOnlyDelivery(id, 'inline').exposed, id).toBe(true)
    }
    expect(useOnlyDelivery('postgres', 'inline').what).toBe('the password itself')
    expect(useOnlyDelivery('gar', 'inline').what).toBe('the service-account key itself')
    expect(useOnlyDelivery('kubernetes', 'inline', { source: 'kubeconfig' }).what).toBe(
      'the kubeconfig itself',
    )
    expect(useOnlyDelivery('kubernetes', 'inline', { source: 'token' }).exposed).toBe(true)
  })

  it('follows the named connection for ECR and the state backends, their own keys otherwise', () => {
    expect(useOnlyDelivery('ecr', 'inline', { aws_connection: 'prod-aws' }).exposed).toBe(false)
    expect(useOnlyDelivery('ecr', 'inline', {})).toEqual({
      exposed: true,
      exchanged: false,
      what: 'the access keys themselves',
    })
    expect(useOnlyDelivery('s3-state', 'inline', { aws_connection: 'prod-aws' }).exposed).toBe(
      false,
    )
    expect(useOnlyDelivery('gcs-state', 'inline', { gcp_connection: 'prod-gcp' }).exposed).toBe(
      false,
    )
  })

  it('assumes a provider it does not know hands its secret over', () => {
    expect(useOnlyDelivery('from-the-future', 'inline').exposed).toBe(true)
  })
})
