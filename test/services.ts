import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { dispatch } from '../src/main/ipc/dispatch'
import { createHandlerRegistry } from '../src/main/ipc/registry'
import { memoryLogger } from '../src/main/log'
import { MemoryKeyStore } from '../src/main/security/keystore'
import { MemoryClipboard } from '../src/main/services/clipboard/secret-clipboard'
import { createServices, type Services, type ServicesOptions } from '../src/main/services'
import { providers, type AuthMode } from '../src/shared/providers'
import { exampleValues } from './catalog-values'

/** A fresh data folder with services over it (no vault yet). */
export function freshServices(
  options: {
    home?: string
    runner?: ServicesOptions['runner']
    browser?: ServicesOptions['browser']
  } = {},
) {
  const log = memoryLogger()
  const dataDir = mkdtempSync(join(tmpdir(), 'bk-svc-'))
  const clipboard = new MemoryClipboard()
  // Kept, so a second services instance can open the same vault file (as a new process would).
  const keyStore = new MemoryKeyStore()
  const services = createServices({
    dataDir,
    appInfo: { name: 'Bridgekeep', version: 'test', platform: 'linux', host: 'electron' },
    log,
    keyStore,
    clipboard,
    // Imports read ~/.aws and ~/.kube under `home`, never the developer's own (nor $KUBECONFIG).
    ...(options.home ? { home: options.home } : {}),
    ...(options.runner ? { runner: options.runner } : {}),
    ...(options.browser ? { browser: options.browser } : {}),
    env: {},
    // Passphrase shares with age's default scrypt (2^18) take seconds each way; tests use 2^12.
    shareScryptWorkFactor: 12,
  })
  const registry = createHandlerRegistry(services)
  const pushes: { channel: string; payload: unknown }[] = []
  services.events.connect((channel, payload) => pushes.push({ channel, payload }))
  /** A call as the renderer makes it: through the contract and the generic dispatcher. */
  const call = (channel: string, input?: unknown) =>
    dispatch(registry, channel, input, {
      senderUrl: 'app://bridgekeep/index.html',
      trustedOrigins: ['app://bridgekeep'],
      log,
    })
  return { services, log, dataDir, keyStore, call, pushes, clipboard }
}

/** Services over a new, unlocked keychain-mode vault. */
export async function unlockedServices(options: Parameters<typeof freshServices>[0] = {}) {
  const fresh = freshServices(options)
  const { recoveryKey } = await fresh.services.vault.create({ mode: 'keychain' })
  return { ...fresh, recoveryKey }
}

/** A valid connection form of any provider (the catalog's example values). */
export function connectionInput(
  provider: string,
  name: string,
  authMode?: AuthMode,
): { name: string; provider: string; authMode: string; values: Record<string, string> } {
  const spec = providers.find((p) => p.id === provider)
  if (!spec) throw new Error(`unknown provider ${provider}`)
  const mode = authMode ?? spec.defaultAuthMode
  return { name, provider, authMode: mode, values: exampleValues(spec, mode) }
}

/** Environment ids by name. */
export function environmentIds(services: Services): Record<string, string> {
  return Object.fromEntries(services.environments.list().map((env) => [env.name, env.id]))
}

/** `name`: an inline AWS connection of `key` at a loopback STS, authorized for development. */
export function inlineAwsConnection(
  services: Services,
  key: { accessKeyId: string; secretAccessKey: string },
  stsUrl: string,
  name = 'prod-aws',
): string {
  const { id } = services.connections.create({
    name,
    provider: 'aws',
    authMode: 'inline',
    values: {
      access_key_id: key.accessKeyId,
      secret_access_key: key.secretAccessKey,
      default_region: 'eu-west-1',
      sts_endpoint: stsUrl,
    },
  })
  const development = environmentIds(services).development!
  services.authorizations.setAuthorizations({ connectionId: id, environmentIds: [development] })
  return id
}

/** An unlocked vault with connections (provider, name) and the default environments' ids. */
export async function unlockedWithConnections(...names: [provider: string, name: string][]) {
  const setup = await unlockedServices()
  const ids = names.map(
    ([provider, name]) => setup.services.connections.create(connectionInput(provider, name)).id,
  )
  return { ...setup, ids, env: environmentIds(setup.services) }
}
