import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { startSts } from '../../test/fixtures/sts'
import { canaryAwsKey, NO_AMBIENT_AWS } from '../../test/use-only-tool'

describe.skipIf(!privateKeyring)(
  "an owner's own connection set to hand tools short-lived credentials only",
  SLOW,
  () => {
    const stored = canaryAwsKey('AIDAEXAMPLEUSERID0004')
    let sts: Awaited<ReturnType<typeof startSts>>
    let bob: Awaited<ReturnType<typeof cliVault>>
    let ownId: string
    const env = NO_AMBIENT_AWS
    // The tool prints the key it was handed, and the secret only as a yes/no.
    const printKey = [
      '-e',
      `process.stdout.write((process.env.AWS_ACCESS_KEY_ID ?? '') + ' ' + (process.env.AWS_SECRET_ACCESS_KEY === ${JSON.stringify(stored.secretAccessKey)}))`,
    ]
    const exec = () =>
      bob.cli(['exec', 'own-aws', '--env', 'staging', '--', process.execPath, ...printKey], {
        env,
        timeoutMs: 60_000,
      })

    beforeAll(async () => {
      sts = await startSts({ identities: [stored] })
      bob = await cliVault()
      const own = bob.services.connections.create({
        name: 'own-aws',
        provider: 'aws',
        authMode: 'inline',
        values: {
          access_key_id: stored.accessKeyId,
          secret_access_key: stored.secretAccessKey,
          default_region: 'eu-west-1',
          sts_endpoint: sts.url,
        },
      })
      ownId = own.id
      const staging = bob.services.environments.list().find((e) => e.name === 'staging')!
      bob.services.authorizations.applyChanges({
        grants: [{ connectionId: own.id, environmentId: staging.id }],
      })
    })
    afterAll(async () => sts?.close())

    it('off by default: the tool gets the stored key', async () => {
      const run = await exec()
      expect(run.stderr).toBe('')
      expect(run.stdout).toBe(`${stored.accessKeyId} true`)
      expect(sts.calls).toEqual([])
    })

    it('on: an STS session, never the stored key; off again: the key', async () => {
      const on = await bob.cli(['edit', 'own-aws', '--short-lived-only', 'on'])
      expect(on.stderr).toBe('')
      expect(on.stdout).toBe('Updated own-aws (own-aws): short-lived credentials only on.\n')
      expect(bob.services.connections.get(ownId).shortLivedOnly).toBe(true)

      const session = await exec()
      expect(session.stderr).toBe('')
      expect(session.stdout).toBe(`${sts.issued.at(-1)!.accessKeyId} false`)
      expect(session.stdout).toMatch(/^ASIA/)
      expect(sts.calls).toEqual([{ action: 'GetSessionToken', accessKeyId: stored.accessKeyId }])

      const wrong = await bob.cli(['edit', 'own-aws', '--short-lived-only', 'maybe'])
      expect(wrong.code).toBe(2)
      expect(wrong.stderr).toContain('--short-lived-only takes on or off, not "maybe".')

      const off = await bob.cli(['edit', 'own-aws', '--short-lived-only', 'off'])
      expect(off.stdout).toBe('Updated own-aws (own-aws): short-lived credentials only off.\n')
      expect((await exec()).stdout).toBe(`${stored.accessKeyId} true`)

      const audited = bob.services.audit
        .query({ filter: { actions: ['connection.update', 'exec'] } })
        .entries.map((e) => `${e.action} ${e.detail}`)
      // Newest first.
      expect(audited.slice(0, 4)).toEqual([
        'exec Ran node (inline)',
        'connection.update Changed: short-lived credentials only',
        'exec Ran node (sts:get-session-token)',
        'connection.update Changed: short-lived credentials only',
      ])
    })
  },
)
