import type { CredentialSet } from '../shared/agent-answers'
import type { CommandContext, OptionValues } from './framework/command'
import { UsageError } from './framework/errors'
import { fromVault } from './from-vault'

/**
 * `exec --team`: a team connection's values, opened in memory with this vault's identity where
 * the team's signed matrix allows the environment (synced first when the team database is in
 * reach), then mapped to variables like any exec. Through the agent when one runs (it keeps the
 * team's verified log in memory, so a use reads only the changes since the last), else in this
 * process (team-use in vault-operations.ts, either way); the vault is closed before the command
 * starts, as for exec.
 */
export async function fromTeam(
  context: CommandContext,
  values: OptionValues,
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
  const { offline, ...used } = await fromVault(
    context,
    values,
    { op: 'team-use', team, ref: target.ref, env: target.env },
    { release: true, progress: 'Opening the team connection…' },
  )
  if (offline)
    context.io.stderr.write(
      'bridgekeep exec: the team database is out of reach: using this vault’s copy (the use is in your audit trail only).\n',
    )
  return used
}
