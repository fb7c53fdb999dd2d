import type { CredentialSet } from '../shared/agent-answers'
import type { CommandContext } from './framework/command'
import { UsageError } from './framework/errors'

/**
 * `exec --team`: a team connection's values, opened in memory with this vault's identity where
 * the team's signed matrix allows the environment (synced first when the team database is in
 * reach), then mapped to variables like any exec. Runs in this process (the agent protocol has
 * no team operation); the vault is closed before the command starts, as for exec.
 */
export async function fromTeam(
  context: CommandContext,
  team: string,
  target: { ref: string; env: string },
  azureScope: string | undefined,
): Promise<{ credentials: CredentialSet; connection: string; environment: string }> {
  if (azureScope !== undefined)
    throw new UsageError('--azure-scope does not apply to team connections yet', 'exec')
  if (target.ref.includes('://') || target.ref.includes('/'))
    throw new UsageError(
      'with --team, name the team connection itself (bridgekeep team connections lists them)',
      'exec',
    )
  const services = await context.services()
  try {
    const opened = await context.progress('Opening the team connection…', () =>
      services.teamConnections.open(team, target.ref, target.env),
    )
    if (opened.offline)
      context.io.stderr.write(
        'bridgekeep exec: the team database is out of reach: using this vault’s copy (the use is in your audit trail only).\n',
      )
    const { connection } = opened
    return {
      credentials: {
        provider: connection.provider,
        authMode: connection.authMode,
        config: connection.fields,
        secrets: opened.secrets,
      },
      connection: connection.name,
      environment: opened.environment,
    }
  } finally {
    services.vault.close()
  }
}
