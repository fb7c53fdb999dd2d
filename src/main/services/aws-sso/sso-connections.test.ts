import { describe, expect, it } from 'vitest'
import type { IpcResult } from '../../../shared/ipc/result'
import { environmentIds, unlockedServices } from '../../../../test/services'

const START_URL = 'https://my-org.awsapps.com/start'
const choices = [
  { accountId: '111111111111', accountName: 'prod', roleName: 'ReadOnly' },
  { accountId: '222222222222', accountName: 'staging', roleName: 'Deploy' },
]

describe('awsSso:createConnections: the sign-in table creates and authorizes together', () => {
  it('authorizes every new connection for the chosen environments, in the same change', async () => {
    const { services, call } = await unlockedServices()
    const env = environmentIds(services)
    const created = (await call('awsSso:createConnections', {
      startUrl: START_URL,
      region: 'eu-west-1',
      choices,
      environmentIds: [env.development, env.staging],
    })) as IpcResult<{ connectionIds: string[] }>
    if (!created.ok) throw new Error(created.error.message)
    expect(created.value.connectionIds).toHaveLength(2)
    for (const id of created.value.connectionIds)
      expect(services.authorizations.authorizationsFor(id).environmentIds.sort()).toEqual(
        [env.development!, env.staging!].sort(),
      )
    // One authorization change for both (undoable like a matrix edit).
    expect(services.audit.query({ filter: { actions: ['authorization.change'] } }).total).toBe(1)
  })

  it('creates nothing when a protected environment is not confirmed, and both when it is', async () => {
    const { services, call } = await unlockedServices()
    const env = environmentIds(services)
    const input = {
      startUrl: START_URL,
      region: 'eu-west-1',
      choices,
      environmentIds: [env.production],
    }
    const refused = await call('awsSso:createConnections', input)
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'CONFIRMATION_REQUIRED', message: expect.stringContaining('production') },
    })
    expect(services.connections.list()).toEqual([])

    const confirmed = (await call('awsSso:createConnections', {
      ...input,
      confirmProtected: true,
    })) as IpcResult<{ connectionIds: string[] }>
    if (!confirmed.ok) throw new Error(confirmed.error.message)
    for (const id of confirmed.value.connectionIds)
      expect(services.authorizations.authorizationsFor(id).environmentIds).toEqual([env.production])
  })
})
