// The world the CLI team tests share: a real PostgreSQL, one vault a seat (its own data folder,
// named through `bridgekeep share identity --name`, with its team-db connection logging in as
// the seat's database login), optionally a founded team, and `run`, which drives a vault through
// the real `bridgekeep` and keeps every output for the tests' canary greps.
import { expect } from 'vitest'
import type { TeamRole } from '../src/main/services/teams/change-chain'
import { cliVault, type CliResult } from './cli'
import { foundSeatedTeam, startTeamServer, teamDbConnection, type TeamServer } from './teams'

export type CliVault = Awaited<ReturnType<typeof cliVault>>

/** A vault of the world: the first seat founds the team (as `bk_owner`); a role makes a member. */
export interface WorldSeat {
  name: string
  login: string
  /** Invited and joined with this role when the world founds a team; no role: not invited. */
  role?: TeamRole
}

/** Ada (the founder), Bob and Carol, none invited yet. */
export const ADA_BOB_CAROL = [
  { name: 'Ada', login: 'bk_owner' },
  { name: 'Bob', login: 'bob_login' },
  { name: 'Carol', login: 'carol_login' },
] as const satisfies readonly WorldSeat[]

export interface CliTeamWorldOptions<Seats extends readonly WorldSeat[]> {
  seats: Seats
  /** More database logins on the server, for no seat (e.g. a login a team connection uses). */
  logins?: readonly string[]
  /** A team founded by the first seat: through the CLI, or through the vaults' services. */
  team?: { name: string; by: 'cli' | 'services' }
  /** Every command logs at debug level (on stderr, which the canary greps read too). */
  debug?: boolean
}

export interface CliTeamWorld<Seats extends readonly WorldSeat[] = readonly WorldSeat[]> {
  /** Every command's result, in order, setting up the world included. */
  outputs: CliResult[]
  /** `bridgekeep args` as `vault`; `started` is given the child's pid (to signal it). */
  run(vault: CliVault, args: string[], started?: (pid: number) => void): Promise<CliResult>
  /** As run, and the command must succeed. */
  ok(vault: CliVault, args: string[]): Promise<CliResult>
  /** Starts the server and builds the seats (and the team): the vaults in the seats' order. */
  start(): Promise<{ team: TeamServer; vaults: { [K in keyof Seats]: CliVault } }>
  stop(): Promise<void>
}

/** A world described now and built by start() (in a beforeAll), so `run` can be named at once. */
export function cliTeamWorld<const Seats extends readonly WorldSeat[]>(
  options: CliTeamWorldOptions<Seats>,
): CliTeamWorld<Seats> {
  const outputs: CliResult[] = []
  let team: TeamServer | undefined
  const env = { ...(options.debug ? { BRIDGEKEEP_LOG: 'debug' } : {}), BRIDGEKEEP_AGENT: 'off' }
  const run: CliTeamWorld['run'] = async (vault, args, started) => {
    const result = await vault.cli(args, {
      env,
      ...(started ? { started: (child) => started(child.pid!) } : {}),
    })
    outputs.push(result)
    return result
  }
  const ok: CliTeamWorld['ok'] = async (vault, args) => {
    const result = await run(vault, args)
    expect(result, `bridgekeep ${args.join(' ')}: ${result.stderr}`).toMatchObject({ code: 0 })
    return result
  }
  return {
    outputs,
    run,
    ok,
    async start() {
      team = await startTeamServer()
      const server = team
      for (const login of [...options.seats.map((s) => s.login), ...(options.logins ?? [])])
        if (!server.passwords.has(login)) await server.login(login)
      const vaults = await Promise.all(options.seats.map(() => cliVault()))
      await Promise.all(
        options.seats.map(async (seat, i) => {
          await ok(vaults[i]!, ['share', 'identity', '--name', seat.name])
          teamDbConnection(vaults[i]!.services, server, seat.login)
        }),
      )
      if (options.team?.by === 'cli') await foundThroughCli(options.team.name, vaults)
      if (options.team?.by === 'services') {
        const [admin, ...members] = options.seats.map((seat, i) => ({
          ...seat,
          services: vaults[i]!.services,
        }))
        const invited = members.flatMap((m) => (m.role ? [{ ...m, role: m.role }] : []))
        await foundSeatedTeam(server, admin!, invited, options.team.name)
      }
      return { team: server, vaults: vaults as { [K in keyof Seats]: CliVault } }
    },
    async stop() {
      await team?.server.stop()
    },
  }

  /** `team init`; each seat with a role is invited (its login granted by --db-login) and joins. */
  async function foundThroughCli(name: string, vaults: CliVault[]) {
    const [founder, ...others] = vaults
    await ok(founder!, ['team', 'init', 'team-db', '--env', 'staging', '--name', name])
    const fingerprint = (await founder!.services.sharing.identity()).fingerprint
    for (const [i, vault] of others.entries()) {
      const seat = options.seats[i + 1]!
      if (!seat.role) continue
      const { address } = await vault.services.sharing.identity()
      const invite = ['team', 'invite', address, '--role', seat.role, '--name', seat.name]
      await ok(founder!, [...invite, '--db-login', seat.login])
      const join = ['team', 'join', 'team-db', '--env', 'staging', '--team', name]
      await ok(vault, [...join, '--founder', fingerprint])
    }
  }
}
