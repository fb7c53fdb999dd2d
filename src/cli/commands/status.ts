import { agentSocketPath } from '../../main/agent/socket-path'
import { resolveDataDir } from '../../main/paths'
import type { VaultMode } from '../../main/services/vault/vault'
import { isBridgekeepError } from '../../shared/errors'
import { agentDisabled, askAgent } from '../agent-client'
import type { CommandSpec } from '../framework/command'
import type { CliIO } from '../framework/io'
import { keyValues, writeJson } from '../framework/output'
import { cliVaultCore } from '../session'

const status: CommandSpec = {
  usage: '[options]',
  description:
    "Says whether there is a vault in the data folder and how it unlocks (keychain or passphrase), whether it is unlocked (only an agent keeps it so), whether an agent (bridgekeep agent, or the app) answers on its socket, where that socket is, and which path exec, aws credential-process, ls, show, verify and env ls take: through the agent, or opening the vault in the command. It reads the vault's key slots but unlocks nothing.",
  options: {},
  positionals: { min: 0, max: 0 },
  json: true,
  examples: ['bridgekeep status', 'bridgekeep status --json | jq -r .vault.state'],
  async run({ io, json }) {
    const socket = agentSocketPath(io.env)
    const disabled = agentDisabled(io.env)
    let agent: Awaited<ReturnType<typeof askAgent<'status'>>>
    let problem: string | undefined
    try {
      agent = await askAgent(io.env, { op: 'status' })
    } catch (error) {
      if (!isBridgekeepError(error)) throw error
      problem = error.message
    }
    const path = disabled
      ? 'in-process (BRIDGEKEEP_AGENT is off)'
      : agent
        ? 'agent'
        : problem
          ? 'agent (which fails: see above)'
          : 'in-process (no agent answers)'
    const onDisk = vaultOnDisk(io)
    const vault = {
      // Only an agent holds the vault open; on disk it is locked (or missing) between commands.
      state: agent?.vault ?? onDisk.state,
      ...(onDisk.mode ? { unlockMethod: onDisk.mode } : {}),
      ...(onDisk.vaultId ? { vaultId: onDisk.vaultId } : {}),
      ...(onDisk.problem ? { problem: onDisk.problem } : {}),
    }
    const details = {
      vault,
      socket,
      dataDir: resolveDataDir(io.env),
      agent: agent
        ? { running: true, ...agent }
        : { running: false, ...(problem ? { problem } : {}) },
      path: disabled || !(agent || problem) ? 'in-process' : 'agent',
    }
    if (json) return writeJson(io.stdout, details)
    io.stdout.write(
      keyValues([
        ['Vault:', vaultLine(vault, agent !== undefined)],
        [
          'Agent:',
          agent
            ? `running (pid ${agent.pid}, vault ${agent.vault}, version ${agent.version})`
            : (problem ?? 'not running'),
        ],
        ['Socket:', socket],
        ['Data folder:', details.dataDir],
        ['CLI path:', path],
      ]),
    )
  },
}

interface VaultOnDisk {
  state: 'missing' | 'locked'
  mode?: VaultMode
  vaultId?: string
  problem?: string
}

/** The vault's file as the data folder holds it: whether it exists and how it unlocks. */
function vaultOnDisk(io: CliIO): VaultOnDisk {
  const services = cliVaultCore(io)
  try {
    const found = services.vault.status()
    if (found.state === 'missing') return { state: 'missing' }
    return { state: 'locked', mode: found.mode, vaultId: found.vaultId }
  } catch (error) {
    // A data folder others can write to, a damaged file: say so rather than fail the whole report.
    if (!isBridgekeepError(error)) throw error
    return { state: 'locked', problem: error.message }
  } finally {
    services.vault.close()
  }
}

function vaultLine(
  vault: { state: string; unlockMethod?: VaultMode; problem?: string },
  agent: boolean,
): string {
  if (vault.problem) return vault.problem
  const method = vault.unlockMethod ? ` (${vault.unlockMethod})` : ''
  if (vault.state === 'missing')
    return agent
      ? 'missing: the agent has none (deleted, replaced or not created yet)'
      : 'missing: create one with bridgekeep init'
  if (vault.state === 'unlocked') return `unlocked in the agent${method}`
  return agent
    ? `locked${method}: bridgekeep unlock unlocks the agent`
    : `locked${method}: each command unlocks it itself`
}

export default status
