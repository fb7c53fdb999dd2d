import { describe, expect, it } from 'vitest'
import { canaryConnection, exchangeAddresses, twoVaults } from '../../../../test/sharing'
import { errorOf } from './share-test-support'

describe('the sender’s policy on use-only shares of secrets tools receive as they are', () => {
  it('refuses such a share when the setting is on, naming the connections; allows the rest', async () => {
    const { a, b } = await twoVaults()
    const { bInA } = await exchangeAddresses(a, b)
    const github = canaryConnection(a.services, 'github', 'ci-github')
    const postgres = canaryConnection(a.services, 'postgres', 'orders-db')
    const aws = canaryConnection(a.services, 'aws', 'prod-aws')
    const share = (connectionIds: string[], useOnly: boolean) =>
      a.services.sharing.export({
        connectionIds,
        to: { kind: 'contacts', contactIds: [bInA] },
        environments: ['staging'],
        useOnly,
      })

    // Off by default: the share is made.
    expect(a.services.settings.get().refuseExposedUseOnly).toBe(false)
    await share([github.id], true)

    a.services.settings.update({ refuseExposedUseOnly: true })
    const refused = await errorOf(() => share([aws.id, github.id, postgres.id], true))
    expect(refused).toMatchObject({
      code: 'USE_ONLY',
      message:
        'Your settings refuse this use-only share: use-only cannot hide these secrets, the recipient\'s tools would receive them as they are: "ci-github" (the token itself), "orders-db" (the password itself). Nothing was shared.',
      hint: 'Leave them out, share a full copy instead, or turn off "Refuse use-only shares of secrets that tools receive as they are" under Sharing in the app.',
    })
    for (const canary of [...github.canaries, ...postgres.canaries, ...aws.canaries]) {
      expect(JSON.stringify(refused)).not.toContain(canary)
    }
    // Nothing recorded as sent; the refusal is audited.
    expect(a.services.sharing.shares()).toHaveLength(1)
    const failures = a.services.audit.query({
      filter: { actions: ['share.export'], outcome: 'failure' },
      limit: 10,
    }).entries
    expect(failures).toHaveLength(1)

    // What tools receive as short-lived credentials, and full copies, are not the policy's concern.
    await share([aws.id], true)
    await share([github.id, postgres.id], false)
    expect(a.services.sharing.shares()).toHaveLength(3)

    // Turned off again, it applies at once.
    a.services.settings.update({ refuseExposedUseOnly: false })
    await share([github.id], true)
    expect(a.services.sharing.shares()).toHaveLength(4)
  })
})
