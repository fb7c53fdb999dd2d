// The team bench's load: identities added as members by signed changes, and connections written
// with the functions `team push` writes them with (writeVersion: sealed, wrapped to each full
// member, signed, one transaction; the matrix as a signed `connection.environments` change; the
// team audit entry), on ONE verified session. `team push` verifies the whole log and refreshes
// the admin's copy on every call, so 5,000 pushes one by one would cost O(n²): the bench times one
// such push at full size apart (`push_one_ms`).
import { generateKeyPairSync, randomUUID } from 'node:crypto'
import { loadAge } from '../../src/main/services/sharing/age-file'
import { formatAddress } from '../../src/main/services/sharing/share-address'
import type { UnlockedIdentity } from '../../src/main/services/sharing/identity'
import { actorOf } from '../../src/main/services/teams/team-access'
import { writeVersion } from '../../src/main/services/teams/team-connection-keys'
import { TeamStore } from '../../src/main/services/teams/team-database-repository'
import {
  advanceHead,
  appendChange,
  appendTeamAudit,
  verifyTeam,
  type VerifiedTeam,
} from '../../src/main/services/teams/team-session'
import { canary } from '../../test/fixtures/canary'
import { TEAM_DB, type TeamServer } from '../../test/teams'

/** A share address of a fresh identity that no vault holds (a member who never joins). */
export async function strangerAddress(): Promise<string> {
  const age = await loadAge()
  const recipient = await age.identityToRecipient(await age.generateX25519Identity())
  const signing = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!
  return formatAddress(recipient, signing)
}

/** The team environments: `env-00` … */
export const environmentNames = (count: number) =>
  Array.from({ length: count }, (_, i) => `env-${String(i).padStart(2, '0')}`)

/** Connection `i`'s environments: three of the team's, spread over all of them. */
export const environmentsOf = (i: number, environments: readonly string[]) =>
  [0, 7, 13].map((step) => environments[(i + step) % environments.length]!).sort()

export const connectionName = (i: number) => `db-${String(i).padStart(5, '0')}`

/** The team database as `login` sees it (the admin's session for the writes). */
export function openStore(team: TeamServer, login: string): Promise<TeamStore> {
  return TeamStore.open({
    host: team.server.host,
    port: team.server.port,
    database: TEAM_DB,
    user: login,
    password: team.passwords.get(login)!,
    sslmode: 'verify-full',
    ca: team.ca.cert,
  })
}

/** An admin's session that writes on top of the head it last wrote (nobody else writes meanwhile). */
export class AdminWriter {
  private constructor(
    private readonly store: TeamStore,
    private readonly team: VerifiedTeam,
    private readonly me: UnlockedIdentity,
  ) {}

  static async open(
    team: TeamServer,
    login: string,
    pin: { teamId: string; founderKey: string },
    me: UnlockedIdentity,
  ): Promise<AdminWriter> {
    const store = await openStore(team, login)
    return new AdminWriter(store, await verifyTeam(store, pin), me)
  }

  close = () => this.store.close()

  private advance(head: { seq: number; hash: string }) {
    return advanceHead(this.team, head)
  }

  /**
   * Connection `i`, as `team push db-… --env …` writes it: version 1 sealed and wrapped to every
   * full member, its matrix, and the team audit entry.
   */
  async push(i: number, environments: string[]): Promise<{ connectionId: string }> {
    const at = new Date().toISOString()
    const name = connectionName(i)
    const connectionId = randomUUID()
    const fields = {
      host: `db-${i}.internal.example`,
      port: '5432',
      database: 'app',
      user: 'app',
      sslmode: 'require',
    }
    const secrets = { password: `pw-${canary.alnum(24)}` }
    const connection = { id: connectionId, name, provider: 'postgres', authMode: 'inline', fields }
    this.advance(
      (await writeVersion(this.store, this.team, this.me, connection, 0, secrets, at)).head,
    )
    await this.environments(connectionId, name, environments, at)
    await appendTeamAudit(
      this.store,
      this.team.state.teamId,
      actorOf(this.me),
      'connection.put',
      `${name} version 1; environments ${environments.join(', ')}`,
      at,
    )
    return { connectionId }
  }

  /** A signed matrix change (what `team env` writes); resolves once it is committed. */
  async environments(connectionId: string, name: string, environments: string[], at?: string) {
    return this.advance(
      await appendChange(
        this.store,
        this.team,
        actorOf(this.me),
        'connection.environments',
        { connectionId, environments },
        {},
        {
          action: 'connection.environments',
          detail: `${name}: ${environments.join(', ')}`,
          at: at ?? new Date().toISOString(),
        },
      ),
    )
  }
}
