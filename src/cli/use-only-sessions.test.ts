import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { startSts } from '../../test/fixtures/sts'
import { unlockedServices } from '../../test/services'
import {
  canaryAwsKey,
  filesUnder,
  liveEnviron,
  NO_AMBIENT_AWS,
  shareUseOnly,
  writeDumpTool,
} from '../../test/use-only-tool'

describe.skipIf(!privateKeyring)(
  'a use-only AWS connection: the tool gets an STS session, never the stored key',
  SLOW,
  () => {
    // The stored key: a canary that must appear nowhere the recipient's tool or terminal can see.
    const stored = canaryAwsKey('AIDAEXAMPLEUSERID0003')
    let sts: Awaited<ReturnType<typeof startSts>>
    let bob: Awaited<ReturnType<typeof cliVault>>
    const env = NO_AMBIENT_AWS

    beforeAll(async () => {
      sts = await startSts({ identities: [stored] })
      const alice = await unlockedServices()
      bob = await cliVault()
      await shareUseOnly(alice.services, bob.services, {
        name: 'prod-aws',
        provider: 'aws',
        authMode: 'inline',
        values: {
          access_key_id: stored.accessKeyId,
          secret_access_key: stored.secretAccessKey,
          default_region: 'eu-west-1',
          sts_endpoint: sts.url,
        },
      })
    })
    afterAll(async () => sts?.close())

    it('exec hands a session (live environ and dump); a second run uses the cached one', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'bk-tool-'))
      const tool = writeDumpTool(dir)
      const running = bob.cli(
        ['exec', 'prod-aws', '--env', 'staging', '--', process.execPath, tool],
        // A busy two-core machine: the CLI's start, STS and the tool's start take their time.
        { env, timeoutMs: 60_000 },
      )
      const environ = await liveEnviron(dir)
      const first = await running
      expect(first.stderr).toBe('')
      expect(first.code).toBe(0)
      const dumped = JSON.parse(first.stdout) as { env: Record<string, string>; files: object }

      // STS was asked once, signed with the stored key; the tool holds what it issued.
      expect(sts.calls).toEqual([{ action: 'GetSessionToken', accessKeyId: stored.accessKeyId }])
      const session = sts.issued.at(-1)!
      expect(session.accessKeyId).toMatch(/^ASIA/)
      expect(dumped.env).toMatchObject({
        AWS_ACCESS_KEY_ID: session.accessKeyId,
        AWS_SECRET_ACCESS_KEY: session.secretAccessKey,
        AWS_SESSION_TOKEN: session.sessionToken,
        AWS_REGION: 'eu-west-1',
      })
      expect(environ).toContain(`AWS_SESSION_TOKEN=${session.sessionToken}`)
      // Nowhere the tool can look: its live environment, its output, the files exec made for it.
      for (const seen of [environ, first.stdout, first.stderr, JSON.stringify(dumped.files)]) {
        expect(seen).not.toContain(stored.secretAccessKey)
        expect(seen).not.toContain(stored.accessKeyId)
      }
      // Nor any file in the data folder (cache, log, audit) or its temp files, in clear.
      expect(filesUnder(bob.home)).not.toContain(stored.secretAccessKey)
      expect(JSON.stringify(bob.log.lines)).not.toContain(stored.secretAccessKey)

      // Within the hour the sealed session is reused: no second STS call.
      const second = await bob.cli(['exec', 'prod-aws', '--env', 'staging', '--', 'true'], { env })
      expect(second.code).toBe(0)
      expect(sts.calls).toHaveLength(1)

      const audited = bob.services.audit
        .query({ filter: { actions: ['exec'] } })
        .entries.map((e) => `${e.outcome} ${e.detail}`)
      // Newest first.
      expect(audited).toEqual([
        'success Ran true (sts:get-session-token)',
        `success Ran ${basename(process.execPath)} (sts:get-session-token)`,
      ])
    })

    it('credential_process answers the cached session, never the stored key', async () => {
      const printed = await bob.cli(['aws', 'credential-process', 'prod-aws', '--env', 'staging'], {
        env,
      })
      expect(printed.code).toBe(0)
      const session = sts.issued.at(-1)!
      expect(JSON.parse(printed.stdout)).toEqual({
        Version: 1,
        AccessKeyId: session.accessKeyId,
        SecretAccessKey: session.secretAccessKey,
        SessionToken: session.sessionToken,
        Expiration: session.expiration!.toISOString(),
      })
      expect(printed.stdout + printed.stderr).not.toContain(stored.secretAccessKey)
      expect(sts.calls).toHaveLength(1)
      expect(readFileSync(join(bob.home, 'credential-cache.json'), 'utf8')).not.toContain(
        session.secretAccessKey,
      )
    })
  },
)
