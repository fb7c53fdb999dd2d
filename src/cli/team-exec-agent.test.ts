import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAgent, type Agent } from '../../test/agent'
import { privateKeyring, SLOW, type CliResult } from '../../test/cli'
import { cliTeamWorld, type CliVault } from '../../test/team-world'
import { TEAM_DB, type TeamServer } from '../../test/teams'

/**
 * `exec --team` through a real `bridgekeep agent` against the real PostgreSQL team world: the
 * agent opens the team connection (verifying the team's log, keeping it in memory between uses),
 * the CLI runs the real psql with it; without an agent the CLI opens it itself, as before.
 */
describe.skipIf(!privateKeyring)('exec --team through the agent', SLOW, () => {
  let team: TeamServer
  let ada: CliVault
  let bob: CliVault
  let agent: Agent | undefined
  const viaAgent: CliResult[] = []
  const world = cliTeamWorld({
    seats: [
      { name: 'Ada', login: 'bk_owner' },
      { name: 'Bob', login: 'bob_login', role: 'member' },
    ],
    logins: ['app_login'],
    team: { name: 'platform', by: 'services' },
    debug: true,
  })
  const psql = ['--', 'psql', '-tAc', 'select current_user']
  /** Bob's `exec --team`, through his agent when one runs. */
  const bobExec = async (env: string) => {
    const result = await bob.cli(['exec', '--team', 'platform', 'app-db', '--env', env, ...psql], {
      env: { BRIDGEKEEP_LOG: 'debug' },
    })
    viaAgent.push(result)
    return result
  }
  const lastUse = () => bob.services.audit.query({ filter: { actions: ['team.use'] } }).entries[0]!

  beforeAll(async () => {
    ;({
      team,
      vaults: [ada, bob],
    } = await world.start())
    ada.services.connections.create({
      name: 'app-db',
      provider: 'postgres',
      authMode: 'inline',
      values: {
        host: team.server.host,
        port: String(team.server.port),
        database: TEAM_DB,
        user: 'app_login',
        password: team.passwords.get('app_login')!,
        sslmode: 'verify-full',
        ca_certificate: team.ca.cert,
      },
    })
    await world.ok(ada, ['team', 'push', 'app-db', '--env', 'staging'])
    await world.ok(bob, ['team', 'sync'])
    agent = await startAgent({ BRIDGEKEEP_HOME: bob.home, BRIDGEKEEP_LOG: 'debug' })
    expect(agent.child.exitCode, agent.output()).toBeNull()
  }, 120_000)
  afterAll(async () => {
    agent?.child.kill('SIGTERM')
    await world.stop()
  })

  it('the agent opens the team connection for the CLI, audited as a use for its caller', async () => {
    const used = await bobExec('staging')
    expect(used, used.stderr).toMatchObject({ code: 0 })
    expect(used.stdout.trim()).toBe('app_login')
    expect(agent!.output()).toContain('"op":"team-use"')
    expect(lastUse().outcome).toBe('success')
    expect(lastUse().detail).toMatch(/^app-db version 1 in staging \(for pid \d+ \(bridgekeep/)

    const refused = await bobExec('production')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(
      'Connection app-db of team platform is not authorized for environment production.',
    )
    expect(lastUse().outcome).toBe('failure')
  })

  it("a change another member makes reaches the agent's next use", async () => {
    await world.ok(ada, ['team', 'env', 'app-db', '--allow', 'production'])
    const now = await bobExec('production')
    expect(now, now.stderr).toMatchObject({ code: 0 })
    expect(now.stdout.trim()).toBe('app_login')
    expect(lastUse().detail).toMatch(/^app-db version 1 in production \(for pid/)
  })

  it('without an agent the CLI opens it itself, as before', async () => {
    agent!.child.kill('SIGTERM')
    await agent!.exited
    const used = await bobExec('staging')
    expect(used, used.stderr).toMatchObject({ code: 0 })
    expect(used.stdout.trim()).toBe('app_login')
    expect(lastUse().detail).toBe('app-db version 1 in staging')
  })

  it("no output, the agent's log or the audit trail holds the password", () => {
    const password = team.passwords.get('app_login')!
    for (const output of [...viaAgent, ...world.outputs])
      expect(JSON.stringify(output)).not.toContain(password)
    expect(agent!.output()).not.toContain(password)
    expect(JSON.stringify(bob.services.audit.query({ limit: 500 }).entries)).not.toContain(password)
  })
})
