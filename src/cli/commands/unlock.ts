import type { VaultMode } from '../../main/services/vault/vault'
import { BridgekeepError } from '../../shared/errors'
import { askAgent } from '../agent-client'
import type { CommandSpec } from '../framework/command'
import type { CliIO } from '../framework/io'
import { readPassphrase } from '../passphrase'
import { cliVaultCore } from '../session'

const NO_AGENT =
  'No agent is running: nothing to unlock (each command unlocks the vault itself when it runs).\n'

const unlock: CommandSpec = {
  usage: '',
  description: [
    'Unlocks the running agent (bridgekeep agent, or the app) after bridgekeep lock, without',
    'restarting it: the agent runs headless and cannot ask for anything itself. A keychain vault is',
    'unlocked from the keychain; for a passphrase vault this command reads the passphrase (from the',
    'file BRIDGEKEEP_PASSPHRASE_FILE names, BRIDGEKEEP_PASSPHRASE, or the terminal without echo) and',
    "sends it over the agent's private socket. The unlock is audited as one from the CLI.",
    'Without an agent there is nothing to unlock: each command opens and closes the vault itself.',
  ].join('\n'),
  options: {},
  positionals: { min: 0, max: 0 },
  examples: [
    'bridgekeep unlock',
    'BRIDGEKEEP_PASSPHRASE_FILE=/etc/bridgekeep/passphrase bridgekeep unlock',
  ],
  async run({ io }) {
    const before = await askAgent(io.env, { op: 'status' })
    if (!before) return void io.stderr.write(NO_AGENT)
    if (before.vault === 'unlocked')
      return void io.stderr.write(`The agent (pid ${before.pid}) is already unlocked.\n`)
    const passphrase =
      vaultMode(io) === 'passphrase'
        ? await readPassphrase(io, {
            prompt: 'Vault passphrase: ',
            noTerminal: new BridgekeepError(
              'VAULT_LOCKED',
              'The vault is protected by a passphrase, and there is no terminal to ask for it.',
              'Set BRIDGEKEEP_PASSPHRASE_FILE to a file holding it (or BRIDGEKEEP_PASSPHRASE), or run bridgekeep unlock in a terminal.',
            ),
          })
        : undefined
    const after = await askAgent(io.env, {
      op: 'unlock',
      ...(passphrase === undefined ? {} : { passphrase }),
    })
    io.stderr.write(after ? `Unlocked the agent (pid ${after.pid}).\n` : NO_AGENT)
  },
}

/** How the vault in the agent's data folder opens, read from its key slots (nothing unlocked). */
function vaultMode(io: CliIO): VaultMode | undefined {
  const services = cliVaultCore(io)
  try {
    const status = services.vault.status()
    return status.state === 'missing' ? undefined : status.mode
  } finally {
    services.vault.close()
  }
}

export default unlock
