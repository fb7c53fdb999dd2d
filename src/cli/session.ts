import { platform } from 'node:os'
import { createLogger, type Logger, type LogLevel } from '../main/log'
import { APP_NAME, resolveDataDir } from '../main/paths'
import { createOsKeyStore, type KeyStore } from '../main/security/keystore'
import type { ServicesOptions, Services } from '../main/services'
import { createVaultCore, type VaultCore } from '../main/services/vault-core'
import { BridgekeepError, isBridgekeepError } from '../shared/errors'
import { interactive, type CliIO } from './framework/io'
import { printable } from './framework/output'
import { passphraseFromEnvironment } from './passphrase'
import { version } from '../../package.json'

const LEVELS: LogLevel[] = ['debug', 'info', 'warn', 'error']

/**
 * The CLI's log: silent unless BRIDGEKEEP_LOG names a level (debug, info, warn, error), then JSON
 * lines on stderr, as the app writes them. Commands report errors themselves; the services' event
 * lines would only clutter a terminal or a credential_process caller.
 */
export function cliLogger(io: CliIO): Logger {
  const wanted = LEVELS.indexOf((io.env.BRIDGEKEEP_LOG ?? '').trim().toLowerCase() as LogLevel)
  return createLogger((line) => {
    if (wanted >= 0 && LEVELS.indexOf(line.level) >= wanted)
      io.stderr.write(`${JSON.stringify(line)}\n`)
  })
}

export interface SessionOptions {
  /** Skip the keychain and unlock with the recovery key. */
  recoveryKey: boolean
  /** Tests and benchmarks pass their own; the real command uses the OS keychain. */
  keyStore?: KeyStore
}

const PROMPT_TRIES = 3

/**
 * The same services as the app, over the vault in the same data folder (BRIDGEKEEP_HOME or the
 * per-user app-data folder), unlocked:
 *  - keychain vaults open silently with the OS keychain;
 *  - passphrase vaults read BRIDGEKEEP_PASSPHRASE_FILE or BRIDGEKEEP_PASSPHRASE, or ask on a
 *    terminal without echo;
 *  - `--recovery-key`, or a keychain that fails while a person is at the terminal, uses the
 *    recovery key from BRIDGEKEEP_RECOVERY_KEY or a prompt.
 * Secrets are never read from arguments. SQLite's WAL and busy timeout let this run beside the
 * open app. Every unlock goes through `services.vaultLifecycle`, which audits it: passphrase and
 * recovery unlocks, and failed ones; silent keychain unlocks are not (each CLI call would add
 * one), the commands that use a secret audit that use.
 */
export async function openSession(io: CliIO, options: SessionOptions): Promise<Services> {
  return unlocked(await cliServices(io, options.keyStore), io, options)
}

/**
 * The vault core alone (vault, connections, resolution, audit), unlocked the same way: for the
 * commands that only read and use connections (exec, credential-process, ls, show), which then
 * load none of the runner host, health checks or sharing.
 */
export async function openVaultCore(io: CliIO, options: SessionOptions): Promise<VaultCore> {
  return unlocked(cliVaultCore(io, options.keyStore), io, options)
}

/**
 * The vault core over the data folder, still locked: for the commands that only look at the
 * vault (status, and unlock asking how it opens). The caller closes `core.vault`.
 */
export function cliVaultCore(io: CliIO, keyStore?: KeyStore): VaultCore {
  return createVaultCore({
    ...cliOptions(io, keyStore),
    // Nothing in this process listens: the app's windows learn of changes from their own vault.
    events: { emit: () => undefined },
    // Only the full services re-encrypt (they hold the runner CA and the sharing identity).
    rekeyOthers: () => {
      throw new BridgekeepError(
        'NOT_SUPPORTED',
        'Re-encrypting the vault needs all of its services.',
        'Run it from the Bridgekeep app.',
      )
    },
  })
}

async function unlocked<T extends VaultCore>(
  services: T,
  io: CliIO,
  options: SessionOptions,
): Promise<T> {
  try {
    await unlock(services, io, options, services.appInfo.dataDir)
    return services
  } catch (error) {
    services.vault.close()
    throw error
  }
}

/**
 * The same services as the app over the data folder (BRIDGEKEEP_HOME or the per-user app-data
 * folder), still locked: for the commands that look at the vault or create it (status, init).
 * The caller closes `services.vault`.
 */
export async function cliServices(io: CliIO, keyStore?: KeyStore): Promise<Services> {
  // Loaded only here: the runner host, health and sharing are not part of openVaultCore's calls.
  const { createServices } = await import('../main/services')
  return createServices({
    ...cliOptions(io, keyStore),
    env: io.env,
    // The app owns the runner control port: the CLI only reads where it is.
    runner: { serveControl: false },
  })
}

function cliOptions(
  io: CliIO,
  keyStore: KeyStore | undefined,
): Pick<ServicesOptions, 'dataDir' | 'appInfo' | 'log' | 'keyStore'> {
  return {
    dataDir: resolveDataDir(io.env),
    appInfo: { name: APP_NAME, version, platform: platform(), host: 'cli' },
    log: cliLogger(io),
    // The keychain item the app uses: BRIDGEKEEP_KEYCHAIN_SERVICE names another, as for the app.
    keyStore: keyStore ?? createOsKeyStore(io.env.BRIDGEKEEP_KEYCHAIN_SERVICE || undefined),
  }
}

async function unlock(
  services: VaultCore,
  io: CliIO,
  options: SessionOptions,
  dataDir: string,
): Promise<void> {
  const { vault } = services
  const status = vault.status()
  if (status.state === 'missing') {
    throw new BridgekeepError(
      'VAULT_MISSING',
      `There is no vault in ${dataDir}.`,
      'Create one with bridgekeep init (or in the Bridgekeep app), or set BRIDGEKEEP_HOME to the folder of an existing vault.',
    )
  }
  if (status.state === 'unlocked') return
  if (options.recoveryKey) return withRecoveryKey(services, io)
  if (status.mode === 'passphrase') return withPassphrase(services, io)
  const recoverable = io.env.BRIDGEKEEP_RECOVERY_KEY !== undefined || interactive(io)
  try {
    await services.vaultLifecycle.unlockWithKeychainFromCli({ fallback: recoverable })
  } catch (error) {
    if (!isBridgekeepError(error) || !error.code.startsWith('KEYCHAIN_')) throw error
    if (!recoverable) {
      throw new BridgekeepError(
        error.code,
        error.message,
        `${error.hint ? `${error.hint} ` : ''}From the CLI: run it with --recovery-key and the key in BRIDGEKEEP_RECOVERY_KEY.`,
      )
    }
    io.stderr.write(`bridgekeep: ${printable(error.message)}\n`)
    return withRecoveryKey(services, io)
  }
}

async function withPassphrase(services: VaultCore, io: CliIO): Promise<void> {
  const fromEnv = passphraseFromEnvironment(io)
  if (fromEnv !== undefined) {
    await services.vaultLifecycle.unlock(
      { method: 'passphrase', passphrase: fromEnv },
      { from: 'cli' },
    )
    return
  }
  if (!interactive(io)) {
    throw new BridgekeepError(
      'VAULT_LOCKED',
      'The vault is protected by a passphrase, and there is no terminal to ask for it.',
      'Set BRIDGEKEEP_PASSPHRASE_FILE (or BRIDGEKEEP_PASSPHRASE) for scripts, or run the command in a terminal. Or use --recovery-key with BRIDGEKEEP_RECOVERY_KEY.',
    )
  }
  await prompted(services, io, 'Vault passphrase: ', (passphrase) => ({
    method: 'passphrase',
    passphrase,
  }))
}

async function withRecoveryKey(services: VaultCore, io: CliIO): Promise<void> {
  const fromEnv = io.env.BRIDGEKEEP_RECOVERY_KEY
  if (fromEnv !== undefined) {
    await services.vaultLifecycle.unlock(
      { method: 'recovery', recoveryKey: fromEnv },
      { from: 'cli' },
    )
    return
  }
  if (!interactive(io)) {
    throw new BridgekeepError(
      'VAULT_LOCKED',
      'Unlocking with the recovery key needs it in BRIDGEKEEP_RECOVERY_KEY, or a terminal to ask on.',
      'Set BRIDGEKEEP_RECOVERY_KEY, or run the command in a terminal.',
    )
  }
  await prompted(services, io, 'Recovery key: ', (recoveryKey) => ({
    method: 'recovery',
    recoveryKey,
  }))
}

type Request = Parameters<VaultCore['vaultLifecycle']['unlock']>[0]

async function prompted(
  services: VaultCore,
  io: CliIO,
  prompt: string,
  request: (secret: string) => Request,
): Promise<void> {
  // Loaded only when a prompt is shown: node:readline is not needed by a keychain vault.
  const { promptSecret } = await import('./framework/prompt')
  for (let tries = 1; ; tries++) {
    const secret = await promptSecret(io, prompt)
    try {
      await services.vaultLifecycle.unlock(request(secret), { from: 'cli' })
      return
    } catch (error) {
      const retry =
        isBridgekeepError(error) &&
        ['WRONG_PASSPHRASE', 'WRONG_RECOVERY_KEY', 'RECOVERY_KEY_INVALID'].includes(error.code)
      if (!retry || tries >= PROMPT_TRIES) throw error
      io.stderr.write(`bridgekeep: ${printable(error.message)}\n`)
    }
  }
}
