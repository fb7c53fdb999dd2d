import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { privateKeyring, SLOW } from '../../test/cli'
import { deployer, startSts, type StsFixture } from '../../test/fixtures/sts'
import { wrapsOf } from '../../test/team-connections'
import { callerArn, startTeamRunner, type TeamRunnerProcess } from '../../test/team-runner-process'
import { ADA_BOB_CAROL, cliTeamWorld, type CliVault } from '../../test/team-world'
import { inlineAwsConnection } from '../../test/services'
import type { TeamServer } from '../../test/teams'
import { teamRoleName, teamRoleNames } from '../main/db/team-migrations'
import { unwrapForMe } from '../main/services/teams/key-wrap'

const user = deployer('AIDAEXAMPLEUSER000323')

/**
 * The whole story of team connections, as three people would live it through the real
 * `bridgekeep` on one PostgreSQL: Ada founds the team and invites Bob (member) and Carol
 * (use-only); she pushes an AWS connection allowed in staging; Bob runs a command with it;
 * Carol gets a 15-minute session from Ada's team runner (a child process) that STS accepts;
 * the matrix refuses production; Ada removes Bob, who opens no new version, and is told what to
 * rotate. The long-lived secret is never in clear where the database or Carol could read it
 * (every command logs at debug level, on stderr, which is grepped too).
 */
describe.skipIf(!privateKeyring)(
  'team connections, the whole story (child processes)',
  SLOW,
  () => {
    let team: TeamServer
    let sts: StsFixture
    let ada: CliVault
    let bob: CliVault
    let carol: CliVault
    let runner: TeamRunnerProcess | undefined
    const world = cliTeamWorld({
      seats: ADA_BOB_CAROL,
      debug: true,
    })
    const { outputs, run, ok } = world
    const identity = async (vault: CliVault) =>
      JSON.parse((await ok(vault, ['share', 'identity', '--json'])).stdout) as {
        address: string
        fingerprint: string
      }
    const secretHash = createHash('sha256').update(user.secretAccessKey).digest('hex')
    // Prints a digest of the variable, so the test sees the value without printing the secret.
    const printSecret = ['sh', '-c', 'printf %s "$AWS_SECRET_ACCESS_KEY" | sha256sum']
    const execAs = (vault: CliVault, env: string) =>
      run(vault, ['exec', '--team', 'platform', 'prod-aws', '--env', env, '--', ...printSecret])

    beforeAll(async () => {
      ;[
        {
          team,
          vaults: [ada, bob, carol],
        },
        sts,
      ] = await Promise.all([world.start(), startSts({ identities: [user] })])
      // Ada's AWS key, at a loopback STS that checks SigV4.
      inlineAwsConnection(ada.services, user, sts.url)
    }, 120_000)
    afterAll(async () => {
      runner?.child.kill('SIGKILL')
      await world.stop()
      await sts?.close()
    })

    it('found, invite, push, exec, a use-only session, the matrix, a removal', async () => {
      const founder = await identity(ada)
      await ok(ada, ['team', 'init', 'team-db', '--env', 'staging', '--name', 'platform'])
      const roles = teamRoleNames(teamRoleName(ada.services.teams.list()[0]!.id))
      await team.dba(`GRANT ${roles.member} TO bob_login`)
      await team.dba(`GRANT ${roles['use-only']} TO carol_login`)
      for (const [vault, name, role] of [
        [bob, 'Bob', 'member'],
        [carol, 'Carol', 'use-only'],
      ] as const) {
        const { address } = await identity(vault)
        await ok(ada, ['team', 'invite', address, '--role', role, '--name', name])
        await ok(vault, [
          'team',
          'join',
          'team-db',
          '--env',
          'staging',
          '--team',
          'platform',
          '--founder',
          founder.fingerprint,
        ])
      }

      const pushed = await ok(ada, ['team', 'push', 'prod-aws', '--env', 'staging'])
      expect(pushed.stdout).toBe(
        'Pushed prod-aws to platform as version 1 (new). It may be used in: staging.\n',
      )

      // Bob, a member: the team connection opened in his vault, in a real child command.
      const used = await execAs(bob, 'staging')
      expect(used, used.stderr).toMatchObject({ code: 0 })
      expect(used.stdout.trim()).toBe(`${secretHash}  -`)

      // Carol, use-only: never a key; a session from Ada's team runner, which STS accepts.
      const carolExec = await execAs(carol, 'staging')
      expect(carolExec.code).toBe(1)
      expect(carolExec.stderr).toContain('You are a use-only member of platform')
      runner = await startTeamRunner(ada.home)
      const session = await ok(carol, [
        'team',
        'credentials',
        'prod-aws',
        '--env',
        'staging',
        '--format',
        'credential-process',
      ])
      const issued = JSON.parse(session.stdout) as Record<string, string>
      expect(issued.AccessKeyId).toMatch(/^ASIA/)
      expect(await callerArn(sts.url, issued)).toBe(user.arn)
      expect(sts.calls).toContainEqual({ action: 'GetSessionToken', accessKeyId: user.accessKeyId })

      // The team's matrix: staging only, for the member and for the runner alike.
      const production = await execAs(bob, 'production')
      expect(production.code).toBe(1)
      expect(production.stderr).toContain(
        'Connection prod-aws of team platform is not authorized for environment production.',
      )
      const carolProduction = await run(carol, [
        'team',
        'credentials',
        'prod-aws',
        '--env',
        'production',
      ])
      expect(carolProduction.code).not.toBe(0)
      expect(carolProduction.stderr).toContain(
        'The team runner (Ada) refused: prod-aws is not authorized for environment production',
      )

      // Ada removes Bob: a new version he holds no key to, and the list of what to rotate.
      const removed = await ok(ada, ['team', 'remove', 'Bob'])
      expect(removed.stdout).toContain(
        'Every team connection has a new key they do not hold. Rotate these: they could read them, and cannot be made to forget them.\n  prod-aws\n',
      )
      const after = await execAs(bob, 'staging')
      expect(after.code).toBe(1)
      expect(after.stderr).toContain('This vault is no longer a member of platform.')
      expect(after.stdout).not.toContain(secretHash)
      // Not by his client's good will: version 2's key is wrapped to Ada only, and no wrap of it
      // opens with Bob's identity.
      const bobIdentity = await bob.services.sharing.localIdentity()
      const wraps = await wrapsOf(team, 'prod-aws', 2)
      expect(wraps.map((w) => w.recipient)).toEqual([
        (await ada.services.sharing.localIdentity()).address.signingKey,
      ])
      const connectionId = ada.services.teamConnections
        .list('platform')
        .connections.find((c) => c.name === 'prod-aws')!.id
      await expect(
        unwrapForMe(wraps[0]!.wrapped, bobIdentity.ageIdentity, {
          teamId: ada.services.teams.list()[0]!.id,
          connectionId,
          version: 2,
        }),
      ).rejects.toThrow()
      // The runner serves version 2 to Carol, who remains.
      const again = await ok(carol, ['team', 'credentials', 'prod-aws', '--env', 'staging'])
      expect(again.stdout).toMatch(/^export AWS_ACCESS_KEY_ID='ASIA[A-Z0-9]+'\n/)
    })

    it('team rm: an admin removes the connection; the runner stops serving it, copies drop it', async () => {
      const notAdmin = await run(carol, ['team', 'rm', 'prod-aws'])
      expect(notAdmin.code).toBe(1)
      expect(notAdmin.stderr).toContain('Only admins of platform can remove connections')
      expect((await run(ada, ['team', 'rm'])).code).toBe(2)
      const missing = await run(ada, ['team', 'rm', 'nope'])
      expect(missing.code).toBe(1)
      expect(missing.stderr).toContain('Team platform has no connection named nope.')

      const removed = await ok(ada, ['team', 'rm', 'prod-aws'])
      expect(removed.stdout).toBe(
        'Removed prod-aws (version 2) from platform. Members who could read it may have kept it: rotate it if that matters.\n',
      )
      const refused = await run(carol, ['team', 'credentials', 'prod-aws', '--env', 'staging'])
      expect(refused.code).not.toBe(0)
      expect(refused.stderr).toContain(
        'The team runner (Ada) refused: the team has no connection named prod-aws',
      )
      await ok(carol, ['team', 'sync'])
      expect((await ok(carol, ['team', 'connections', '--json'])).stdout).toContain(
        '"connections": []',
      )
      // Ada's own vault keeps her connection; the team's and her trails record the removal.
      expect((await ok(ada, ['ls'])).stdout).toContain('prod-aws')
      const { rows } = await team.dba(
        "SELECT body FROM bridgekeep.audit WHERE kind = 'connection.remove'",
      )
      expect(rows.map((r) => JSON.parse(r.body).detail)).toEqual(['prod-aws version 2'])
      expect(
        ada.services.audit.query({ limit: 50 }).entries.find((e) => e.action === 'team.rm')?.detail,
      ).toBe('prod-aws version 2')
    })

    it("the long-lived secret is in no table, WAL, log, output or the use-only member's vault (nor any other)", async () => {
      const texts = await team.everything()
      expect(texts.join('\n')).toContain('INSERT INTO bridgekeep.sealed_secrets')
      texts.push(runner!.output(), ...outputs.map((o) => o.stdout + o.stderr))
      for (const vault of [ada, bob, carol]) texts.push(JSON.stringify(vault.log.lines))
      // Carol's (use-only) vault above all, and the others' too: ciphertext only, each of them.
      for (const vault of [carol, bob, ada]) {
        vault.services.vault.database().pragma('wal_checkpoint(PASSIVE)')
        for (const suffix of ['', '-wal'])
          if (existsSync(vault.services.vault.path + suffix))
            texts.push(readFileSync(vault.services.vault.path + suffix).toString('latin1'))
      }
      expect(texts.length).toBeGreaterThan(10)
      for (const [i, text] of texts.entries())
        expect(text.includes(user.secretAccessKey), `the secret in text ${i}`).toBe(false)
    })
  },
)
