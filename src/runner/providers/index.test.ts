import { describe, expect, it } from 'vitest'
import { issuedKinds, verifyResultSchema } from '../../shared/operations'
import { providerIds } from '../../shared/providers'
import { providerOperations } from './index'

describe('providerOperations', () => {
  it('covers every provider of the catalog', () => {
    expect(Object.keys(providerOperations).sort()).toEqual([...providerIds].sort())
  })

  it('issues short-lived credentials where the provider has them', () => {
    const issuing = providerIds.filter((id) => providerOperations[id].issueCredentials)
    expect(issuing.sort()).toEqual(['aws', 'azure', 'ecr', 'gar', 'gcp', 'gcs-state', 's3-state'])
    // The list the team runner and the app go by (they do not load the runner's providers).
    expect(Object.keys(issuedKinds).sort()).toEqual(issuing)
  })

  it.each(providerIds)(
    '%s: a malformed request is an invalid configuration, never a throw',
    async (id) => {
      for (const input of [
        undefined,
        {},
        { provider: id, authMode: 'inline', config: {}, secrets: {} },
        { provider: id, authMode: 'telepathy', config: {}, secrets: {} },
      ]) {
        const result = await providerOperations[id].verify(input)
        expect(verifyResultSchema.parse(result).status).toBe('failing')
        expect(result.error?.class).toBe('invalid-config')
        expect(result.error?.message).toMatch(/^Invalid configuration: /)
        expect(result.error?.remedy.length).toBeGreaterThan(10)
      }
    },
  )
})
