import { afterEach, describe, expect, it } from 'vitest'
import { fastTimings, sourceRunnerLauncher } from '../../../../test/runner'
import { unlockedServices } from '../../../../test/services'

const cleanup: (() => unknown)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

async function vault(name: string) {
  const { services } = await unlockedServices({
    runner: { launcher: sourceRunnerLauncher(), timings: fastTimings },
  })
  cleanup.push(() => services.runner.shutdown())
  await services.sharing.setName({ name })
  return services
}

describe("a share of a connection that names the sender's runner", () => {
  it('imports where that runner is missing, says so, and an operation names the fix', async () => {
    const alice = await vault('Alice')
    const bob = await vault('Bob')
    const bobInAlice = await alice.sharing.addContact({
      name: 'Bob',
      address: (await bob.sharing.identity()).address,
    })
    await bob.sharing.addContact({
      name: 'Alice',
      address: (await alice.sharing.identity()).address,
    })
    await alice.runner.generateCredentials({ name: 'build-eu' })
    const created = alice.connections.create({
      name: 'EU deploy',
      provider: 'aws',
      authMode: 'runner-delegated',
      values: { default_region: 'eu-west-1', runner: 'build-eu' },
    })
    const share = await alice.sharing.export({
      connectionIds: [created.id],
      to: { kind: 'contacts', contactIds: [bobInAlice.id] },
      environments: ['staging'],
      // A full share: Bob may edit it, so the edits below show what stays possible.
      useOnly: false,
    })

    const preview = await bob.sharing.importPreview({ data: share.bytes })
    expect(preview.connections.map((c) => c.missingHere)).toEqual([
      [
        "this connection uses runner build-eu, which this vault does not have: create it with 'bridgekeep runner credentials --name build-eu' (or choose another runner on the connection; 'bridgekeep runner list' shows the names).",
      ],
    ])

    const imported = await bob.sharing.importApply({
      source: { data: share.bytes },
      shareId: share.shareId,
    })
    const id = imported.created[0]!.id
    expect(bob.connections.get(id).config).toMatchObject({ runner: 'build-eu' })
    // Other edits of it stay possible; choosing a runner that does not exist does not.
    bob.connections.update({ id, labels: ['eu'] })
    expect(() => bob.connections.update({ id, values: { runner: 'build-xx' } })).toThrow(
      expect.objectContaining({
        issues: [expect.objectContaining({ message: expect.stringContaining('runner build-xx') })],
      }),
    )
    await expect(bob.health.verify({ connectionId: id })).rejects.toMatchObject({
      code: 'RUNNER_UNAVAILABLE',
      message:
        'This vault has no runner named build-eu (it was deleted, never created here, or the connection came from another vault in a share).',
      hint: expect.stringContaining('bridgekeep runner credentials --name build-eu'),
    })

    // Once Bob creates it, the preview of the same share has nothing to say.
    await bob.runner.generateCredentials({ name: 'build-eu' })
    const again = await bob.sharing.importPreview({ data: share.bytes })
    expect(again.connections[0]!.missingHere).toEqual([])
  }, 60_000)
})
