import { createServer, isIP, type AddressInfo } from 'node:net'
import { hostname } from 'node:os'
import { BridgekeepError } from '../../shared/errors'
import { DEFAULT_MAX_FRAME_BYTES } from '../../shared/runner-protocol/framing'
import type { Logger } from '../log'
import type { Vault } from '../services/vault/vault'
import type { ControlServer } from './control-server'
import type { RunnerIdentity } from './runner-identity'
import type { RunnerSession } from './runner-session'
import type { SupervisorTimings } from './supervisor'

export interface Endpoint {
  host: string
  port: number
}

export interface ControlEndpointOptions {
  vault: Vault
  identity: RunnerIdentity
  log: Logger
  timings: Pick<SupervisorTimings, 'heartbeatMs' | 'killAfterMs'>
  /** See RunnerServiceOptions: bindHost, port, env (BRIDGEKEEP_RUNNER_BIND) and serveControl. */
  bindHost?: string
  port?: number
  env?: Record<string, string | undefined>
  serveControl?: boolean
  maxFrameBytes?: number
  authTimeoutMs?: number
  onSession: (session: RunnerSession) => void
  /** The listener started (the status changed). */
  onListening: () => void
}

const PORT_SETTING = 'control_port'

/**
 * Where runners connect: the mTLS control listener, and its port, remembered in the vault so
 * enrollments made earlier stay valid across app starts. A process that does not serve
 * the listener (the CLI) still knows the address: the remembered port.
 */
export class ControlEndpoint {
  private server: ControlServer | undefined
  private endpoint: Endpoint | undefined
  private pendingListener: Promise<Endpoint> | undefined
  private readonly bind: { host: string; port: number | undefined }

  constructor(private readonly options: ControlEndpointOptions) {
    this.bind = bindAddress(options)
  }

  /** Where the listener listens now; undefined while it does not. */
  listening(): Endpoint | undefined {
    return this.endpoint
  }

  /** Whether this process holds runner sessions (the app), or only reads about them (the CLI). */
  servesControl(): boolean {
    return this.options.serveControl !== false
  }

  /** The runners connected to the listener, open or closing. */
  sessions(): RunnerSession[] {
    return this.server?.sessions() ?? []
  }

  /** Closes the sessions of these certificates; how many it closed. */
  drop(serials: readonly string[], reason: string): number {
    return this.server?.drop(serials, 'revoked', reason) ?? 0
  }

  async close(): Promise<void> {
    await this.server?.close()
    this.server = undefined
    this.endpoint = undefined
  }

  /** The control listener, started on first need; resolves to where runners connect. */
  async ensureListener(): Promise<Endpoint> {
    if (this.endpoint) return this.endpoint
    this.pendingListener ??= this.listen().finally(() => {
      this.pendingListener = undefined
    })
    return this.pendingListener
  }

  /** Where the control listener is, or is remembered to be; undefined before it ever listened. */
  rememberedEndpoint(): Endpoint | undefined {
    if (this.endpoint) return this.endpoint
    const port = this.bind.port ?? Number(this.options.identity.setting(PORT_SETTING) ?? 0)
    return port > 0 ? { host: this.bind.host, port } : undefined
  }

  /**
   * Where runners dial. The app starts its listener; a process that does not serve it (the CLI)
   * gives the address the app listens on: the port remembered in the vault, or, when the app
   * never listened, a free one chosen now and remembered for the app to take.
   */
  async controlEndpoint(): Promise<Endpoint> {
    if (this.options.serveControl !== false) return this.ensureListener()
    this.options.vault.requireKey()
    const remembered = this.rememberedEndpoint()
    if (remembered) return remembered
    const port = await freePort(this.bind.host)
    this.options.identity.setSetting(PORT_SETTING, String(port))
    return { host: this.bind.host, port }
  }

  private async listen(): Promise<Endpoint> {
    const { vault, identity, log, timings } = this.options
    if (this.options.serveControl === false) {
      // A bug if reached: the CLI must never take the port of an app that is open.
      throw new BridgekeepError('INTERNAL', 'This process does not serve the runner control port.')
    }
    vault.requireKey()
    const vaultId = vault.vaultId()
    const host = this.bind.host
    const ips = ['127.0.0.1', '::1']
    const dns = ['localhost', hostname()]
    if (!isWildcard(host)) (isIP(host) ? ips : dns).push(host)
    const serverCert = await identity.issueServerCertificate({
      ips: unique(ips),
      dns: unique(dns),
    })
    const caPem = identity.caCertificate()!
    const stored = Number(identity.setting(PORT_SETTING) ?? 0)
    // Loaded only here, where the app starts listening: node:tls takes tens of milliseconds to
    // load, and every CLI call that opens the vault builds this endpoint without listening.
    const { ControlServer } = await import('./control-server')
    const make = (port: number) =>
      new ControlServer({
        vaultId,
        authority: identity,
        tls: { certPem: serverCert.certPem, keyPem: serverCert.keyPem, caPem },
        host,
        port,
        log,
        maxFrameBytes: this.options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
        authTimeoutMs: this.options.authTimeoutMs ?? 5000,
        heartbeatMs: timings.heartbeatMs,
        silenceLimitMs: timings.killAfterMs,
        onSession: this.options.onSession,
      })
    const wanted = this.bind.port ?? stored
    let server = make(wanted)
    let endpoint: Endpoint
    try {
      endpoint = await server.listen()
    } catch (error) {
      if (
        wanted === 0 ||
        (error as NodeJS.ErrnoException).code !== 'EADDRINUSE' ||
        this.bind.port
      ) {
        throw new BridgekeepError(
          'RUNNER_UNAVAILABLE',
          `The runner control listener cannot listen on ${host}:${wanted} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
          'Choose another address or port, or stop what uses it.',
        )
      }
      // The remembered port is taken: use a new one (credentials made earlier need regenerating).
      log.warn('runner.port-taken', { port: wanted })
      server = make(0)
      endpoint = await server.listen()
    }
    identity.setSetting(PORT_SETTING, String(endpoint.port))
    this.server = server
    this.endpoint = endpoint
    this.options.onListening()
    return endpoint
  }
}

function bindAddress(options: ControlEndpointOptions): { host: string; port: number | undefined } {
  const fromEnv = (options.env ?? process.env).BRIDGEKEEP_RUNNER_BIND?.trim()
  let host = options.bindHost
  let port = options.port
  if (!host && fromEnv) {
    const match = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(fromEnv)
    host = match?.[1]
    if (match?.[2] && port === undefined) port = Number(match[2])
  }
  return { host: host ?? '127.0.0.1', port: port === 0 ? undefined : port }
}

/** A port nothing listens on now, from the OS (listened on for an instant, then released). */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new BridgekeepError(
          'RUNNER_UNAVAILABLE',
          `No port is free on ${host} for the runner control listener (${error.code ?? 'error'}).`,
          'Set BRIDGEKEEP_RUNNER_BIND to an address of this machine, with a port if you like.',
        ),
      ),
    )
    probe.listen(0, host, () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

/** A listener on every address (0.0.0.0 or ::): runners dial a name or address of this host. */
export function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::'
}

function unique(values: string[]): string[] {
  return [...new Set(values)]
}
