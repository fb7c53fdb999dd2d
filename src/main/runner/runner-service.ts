import { randomUUID } from 'node:crypto'
import { createServer, isIP, type AddressInfo } from 'node:net'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { BridgekeepError, isBridgekeepError } from '../../shared/errors'
import { DEFAULT_MAX_FRAME_BYTES } from '../../shared/runner/framing'
import { logLevels, type Operation, type OperationResult } from '../../shared/runner/protocol'
import type {
  CredentialsFile,
  KnownRunner,
  RunnerLogEntry,
  RunnerLogQuery,
  RunnerMetrics,
  RunnerStatus,
} from '../../shared/runner/status'
import type { Logger } from '../log'
import type { AuditRecord } from '../services/audit/audit-service'
import type { EventBus } from '../services/events/event-bus'
import type { Vault } from '../services/vault/vault'
import { ControlServer } from './control-server'
import { builtRunnerLauncher, type ProcessLauncher } from './process-launcher'
import { LOCAL_RUNNER_ID, RunnerIdentity } from './runner-identity'
import { RunnerLog } from './runner-log'
import { RunnerMetricsRecorder } from './runner-metrics'
import type { RequestOptions, RunnerSession } from './runner-session'
import { DEFAULT_TIMINGS, Supervisor, type SupervisorTimings } from './supervisor'

export interface RunnerAudit {
  record(entry: AuditRecord): number
  recordFailure(entry: Omit<AuditRecord, 'outcome'>, error: unknown): void
}

export interface RunnerServiceOptions {
  vault: Vault
  audit: RunnerAudit
  events: EventBus
  log: Logger
  dataDir: string
  /** How the local runner is started; the built out/main/runner.js as a child process by default. */
  launcher?: ProcessLauncher
  timings?: Partial<SupervisorTimings>
  /**
   * The control listener's address. 127.0.0.1 by default; an explicit address (or 0.0.0.0) lets
   * runners on other hosts connect. BRIDGEKEEP_RUNNER_BIND=host[:port] sets it too.
   */
  bindHost?: string
  /** 0 (the default): a random port, chosen once and then kept, so credentials files stay valid. */
  port?: number
  maxFrameBytes?: number
  authTimeoutMs?: number
  env?: Record<string, string | undefined>
  /**
   * Whether this process serves the control listener (the app: true, the default). The CLI
   * passes false: it issues credentials for the address the app listens on, and never takes
   * that port from an app that is open, or holds it after the command ends.
   */
  serveControl?: boolean
}

export interface RunRequestOptions extends RequestOptions {
  /** A specific runner; by default the local one, or else any connected runner. */
  runnerId?: string
}

const PORT_SETTING = 'control_port'
const CREDENTIAL_MARGIN_MS = 3_600_000

/**
 * The runner feature on the app's side: the control listener, the local runner's supervision,
 * credentials, logs and metrics, and `request()`, the one way main-side code runs an operation.
 */
export class RunnerService {
  readonly identity: RunnerIdentity
  readonly logBook: RunnerLog
  private readonly log: Logger
  private readonly metricsRecorder = new RunnerMetricsRecorder()
  private readonly supervisor: Supervisor
  private readonly timings: SupervisorTimings
  private server: ControlServer | undefined
  private endpoint: { host: string; port: number } | undefined
  private pendingListener: Promise<{ host: string; port: number }> | undefined
  private local: { json: string; serial: string; expiresAt: number } | undefined
  private readonly bind: { host: string; port: number | undefined }

  constructor(private readonly options: RunnerServiceOptions) {
    this.identity = new RunnerIdentity(options.vault)
    this.logBook = new RunnerLog({ file: join(options.dataDir, 'logs', 'runner.log') })
    this.log = this.logBook.logger(options.log)
    this.timings = { ...DEFAULT_TIMINGS, ...options.timings }
    this.bind = bindAddress(options)
    this.logBook.onLine((entry) => options.events.emit('runner:log', entry))
    this.supervisor = new Supervisor({
      launcher: options.launcher ?? builtRunnerLauncher(),
      credentials: () => this.localCredentials(),
      timings: this.timings,
      log: this.log,
      onLine: (line) => this.runnerOutput(line),
      onChange: () => this.emitStatus(),
      onCrash: (reason, failed) => {
        this.metricsRecorder.clearProcess()
        this.audit({
          action: 'runner.crash',
          outcome: 'failure',
          detail: failed ? `Stopped as failed after repeated crashes: ${reason}` : reason,
        })
      },
    })
  }

  status(): RunnerStatus {
    const snapshot = this.supervisor.snapshot()
    const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString())
    return {
      state: snapshot.state,
      since: new Date(snapshot.since).toISOString(),
      pid: snapshot.pid,
      restarts: snapshot.restarts,
      recentCrashes: snapshot.recentCrashes,
      nextRestartAt: iso(snapshot.nextRestartAt),
      lastError: snapshot.lastError
        ? { message: snapshot.lastError.message, at: new Date(snapshot.lastError.at).toISOString() }
        : null,
      listener: this.endpoint ?? null,
      connected: this.server?.sessions().length ?? 0,
    }
  }

  /** Starts the local runner (and the control listener). Needs the vault unlocked. */
  async start(): Promise<RunnerStatus> {
    try {
      await this.supervisor.start()
    } catch (error) {
      this.options.audit.recordFailure(
        { action: 'runner.start', target: localTarget(), detail: 'Start' },
        error,
      )
      throw error
    }
    this.audit({ action: 'runner.start', detail: 'Started' })
    return this.status()
  }

  async stop(): Promise<RunnerStatus> {
    const was = this.supervisor.snapshot().state
    await this.supervisor.stop()
    this.metricsRecorder.clearProcess()
    if (was !== 'stopped') this.audit({ action: 'runner.stop', detail: 'Stopped' })
    return this.status()
  }

  async restart(): Promise<RunnerStatus> {
    try {
      await this.supervisor.restart()
    } catch (error) {
      this.options.audit.recordFailure(
        { action: 'runner.start', target: localTarget(), detail: 'Restart' },
        error,
      )
      throw error
    }
    this.audit({ action: 'runner.start', detail: 'Restarted' })
    return this.status()
  }

  /**
   * Resolves once a runner can take operations: a connected one, or the local runner, started
   * here if it is not running. What needs the runner (a verify) calls this first.
   */
  async ensureReady(): Promise<void> {
    if (this.connectedSession()) return
    const { state } = this.supervisor.snapshot()
    if (state === 'stopped' || state === 'failed') await this.start()
    const deadline = Date.now() + this.timings.startTimeoutMs + 1000
    while (!this.connectedSession()) {
      const now = this.supervisor.snapshot()
      if (now.state === 'stopped' || now.state === 'failed' || Date.now() > deadline) {
        throw new BridgekeepError(
          'RUNNER_UNAVAILABLE',
          `The local runner did not start${now.lastError ? `: ${now.lastError.message}` : '.'}`,
          'Open the Runner page to see its log, then start it again.',
        )
      }
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  private connectedSession(): RunnerSession | undefined {
    return (
      this.supervisor.currentSession() ??
      this.server?.sessions().find((session) => !session.isClosed)
    )
  }

  /** The app is quitting: stop the local runner and close the listener. */
  async shutdown(): Promise<void> {
    const was = this.supervisor.snapshot().state
    await this.supervisor.stop()
    await this.server?.close()
    this.server = undefined
    this.endpoint = undefined
    if (was !== 'stopped' && was !== 'failed')
      this.audit({ action: 'runner.stop', detail: 'App quit' })
  }

  /**
   * Runs one operation on a runner and resolves with its result. Errors are BridgekeepErrors:
   * RUNNER_UNAVAILABLE, RUNNER_TIMEOUT, RUNNER_CANCELLED, or the runner's own (e.g.
   * UNSUPPORTED_OPERATION, OPERATION_FAILED). The secrets travel inside the request only.
   */
  async request(op: Operation, options: RunRequestOptions = {}): Promise<OperationResult> {
    const session = this.pickSession(options.runnerId)
    const started = performance.now()
    try {
      const result = await session.request(op, options)
      this.metricsRecorder.recordOperation(performance.now() - started, true)
      return result
    } catch (error) {
      this.metricsRecorder.recordOperation(performance.now() - started, false)
      if (op.type !== 'ping') {
        this.log.warn('runner.operation-failed', {
          type: op.type,
          runnerId: session.info.runnerId,
          code: isBridgekeepError(error) ? error.code : 'INTERNAL',
        })
      }
      throw error
    }
  }

  logs(query?: RunnerLogQuery): RunnerLogEntry[] {
    return this.logBook.query(query)
  }

  metrics(): RunnerMetrics {
    const { readyAt, restarts } = this.supervisor.snapshot()
    return this.metricsRecorder.snapshot({
      uptimeMs: readyAt === null ? null : Date.now() - readyAt,
      restarts,
    })
  }

  /** Credentials for a runner started by hand; refused while earlier ones are live (regenerate). */
  async generateCredentials(request: { label?: string } = {}): Promise<CredentialsFile> {
    if (this.runners().some((runner) => runner.kind === 'remote' && runner.active)) {
      throw new BridgekeepError(
        'CONFLICT',
        'Runner credentials already exist for this vault.',
        'Regenerate them to replace (and revoke) the earlier ones.',
      )
    }
    return this.issueRemote(request.label, 0)
  }

  /** New credentials; every earlier certificate and API key is revoked, and their runners dropped. */
  async regenerateCredentials(request: { label?: string } = {}): Promise<CredentialsFile> {
    this.options.vault.requireKey()
    await this.controlEndpoint()
    const revoked = this.identity.revokeAll('remote')
    const dropped = this.server?.drop(
      revoked,
      'revoked',
      'Its credentials were regenerated: this certificate and API key are revoked.',
    )
    this.log.info('runner.credentials-revoked', {
      certificates: revoked.length,
      dropped: dropped ?? 0,
    })
    return this.issueRemote(request.label, revoked.length)
  }

  /** Runners this vault issued credentials to, local and remote, with their last contact. */
  runners(): KnownRunner[] {
    if (!this.options.vault.exists()) return []
    const connected = new Set(this.server?.sessions().map((session) => session.info.runnerId))
    return this.identity.runners().map((row) => ({
      id: row.id,
      label: row.label,
      kind: row.kind,
      active: row.active > 0,
      connected: connected.has(row.id),
      createdAt: row.created_at,
      lastContactAt: connected.has(row.id) ? new Date().toISOString() : row.last_contact_at,
      lastAddress: row.last_address,
      version: row.last_version,
      expiresAt: row.not_after,
    }))
  }

  /** The control listener, started on first need; resolves to where runners connect. */
  async ensureListener(): Promise<{ host: string; port: number }> {
    if (this.endpoint) return this.endpoint
    this.pendingListener ??= this.listen().finally(() => {
      this.pendingListener = undefined
    })
    return this.pendingListener
  }

  private async listen(): Promise<{ host: string; port: number }> {
    const { vault } = this.options
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
    const serverCert = await this.identity.issueServerCertificate({
      ips: unique(ips),
      dns: unique(dns),
    })
    const caPem = this.identity.caCertificate()!
    const stored = Number(this.identity.setting(PORT_SETTING) ?? 0)
    const make = (port: number) =>
      new ControlServer({
        vaultId,
        authority: this.identity,
        tls: { certPem: serverCert.certPem, keyPem: serverCert.keyPem, caPem },
        host,
        port,
        log: this.log,
        maxFrameBytes: this.options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
        authTimeoutMs: this.options.authTimeoutMs ?? 5000,
        heartbeatMs: this.timings.heartbeatMs,
        silenceLimitMs: this.timings.killAfterMs,
        onSession: (session) => this.onSession(session),
      })
    const wanted = this.bind.port ?? stored
    let server = make(wanted)
    let endpoint: { host: string; port: number }
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
      this.log.warn('runner.port-taken', { port: wanted })
      server = make(0)
      endpoint = await server.listen()
    }
    this.identity.setSetting(PORT_SETTING, String(endpoint.port))
    this.server = server
    this.endpoint = endpoint
    this.emitStatus()
    return endpoint
  }

  /** The local runner's credentials: made once per app session, kept in memory only. */
  private async localCredentials(): Promise<string> {
    const endpoint = await this.ensureListener()
    const now = Date.now()
    if (
      this.local &&
      this.local.expiresAt - CREDENTIAL_MARGIN_MS > now &&
      !this.identity.isRevoked(this.local.serial)
    ) {
      return this.local.json
    }
    this.identity.revokeAll('local')
    const { credentials, serial } = await this.identity.issueRunner({
      runnerId: LOCAL_RUNNER_ID,
      kind: 'local',
      label: 'Local runner',
      control: {
        host: isWildcard(endpoint.host) ? '127.0.0.1' : endpoint.host,
        port: endpoint.port,
      },
    })
    this.local = {
      json: JSON.stringify(credentials),
      serial,
      expiresAt: Date.parse(credentials.expiresAt),
    }
    return this.local.json
  }

  /** Where the control listener is, or is remembered to be; undefined before it ever listened. */
  rememberedEndpoint(): { host: string; port: number } | undefined {
    if (this.endpoint) return this.endpoint
    const port = this.bind.port ?? Number(this.identity.setting(PORT_SETTING) ?? 0)
    return port > 0 ? { host: this.bind.host, port } : undefined
  }

  /**
   * Where runners dial. The app starts its listener; a process that does not serve it (the CLI)
   * gives the address the app listens on: the port remembered in the vault, or, when the app
   * never listened, a free one chosen now and remembered for the app to take.
   */
  async controlEndpoint(): Promise<{ host: string; port: number }> {
    if (this.options.serveControl !== false) return this.ensureListener()
    this.options.vault.requireKey()
    const remembered = this.rememberedEndpoint()
    if (remembered) return remembered
    const port = await freePort(this.bind.host)
    this.identity.setSetting(PORT_SETTING, String(port))
    return { host: this.bind.host, port }
  }

  private async issueRemote(label: string | undefined, revoked: number): Promise<CredentialsFile> {
    this.options.vault.requireKey()
    const endpoint = await this.controlEndpoint()
    const runnerId = randomUUID()
    const name = label ?? 'Remote runner'
    const { credentials } = await this.identity.issueRunner({
      runnerId,
      kind: 'remote',
      label: name,
      control: { host: advertisedHost(endpoint.host), port: endpoint.port },
    })
    this.audit({
      action: 'runner.credentials',
      target: { type: 'runner', id: runnerId, name },
      detail: revoked
        ? `Regenerated; ${revoked} earlier certificate(s) and API key(s) revoked`
        : 'Generated',
    })
    this.log.info('runner.credentials-issued', { runnerId, revoked })
    this.emitStatus()
    return {
      runnerId,
      filename: `bridgekeep-runner-${runnerId.slice(0, 8)}.json`,
      content: `${JSON.stringify(credentials, null, 2)}\n`,
      revoked,
    }
  }

  private onSession(session: RunnerSession): void {
    const { runnerId, local, address, version } = session.info
    if (runnerId === LOCAL_RUNNER_ID) {
      if (!local || !this.supervisor.attach(session)) {
        session.close({
          stage: 'protocol',
          reason: 'This is not the local runner the app started.',
        })
        return
      }
      session.onHeartbeat((beat) => this.metricsRecorder.recordHeartbeat(session.info.pid, beat))
    }
    session.onLog((line) =>
      this.logBook.append({
        time: new Date().toISOString(),
        level: line.level,
        source: 'runner',
        runnerId,
        event: line.event,
        fields: line.fields ?? {},
      }),
    )
    this.contact(runnerId, address, version)
    session.onClose(() => {
      this.contact(runnerId, address, version)
      this.emitStatus()
    })
    this.emitStatus()
  }

  private pickSession(runnerId: string | undefined): RunnerSession {
    const sessions = this.server?.sessions().filter((session) => !session.isClosed) ?? []
    const chosen = runnerId
      ? sessions.find((session) => session.info.runnerId === runnerId)
      : (this.supervisor.currentSession() ??
        sessions.find((session) => session.info.runnerId !== LOCAL_RUNNER_ID))
    if (!chosen) {
      throw new BridgekeepError(
        'RUNNER_UNAVAILABLE',
        runnerId ? `Runner ${runnerId} is not connected.` : 'No runner is connected.',
        'Start the runner from the Runner page (or start yours with its credentials file).',
      )
    }
    return chosen
  }

  /** A line the local runner printed: its structured log, or plain text (a crash, a refusal). */
  private runnerOutput(line: string): void {
    const parsed = parseRunnerLine(line)
    this.logBook.append(
      parsed ?? {
        time: new Date().toISOString(),
        level: 'warn',
        source: 'runner',
        runnerId: LOCAL_RUNNER_ID,
        event: 'runner.output',
        fields: { text: line.slice(0, 300) },
      },
    )
  }

  private contact(runnerId: string, address: string, version: string): void {
    try {
      this.identity.recordContact(runnerId, address, version)
    } catch (error) {
      this.log.warn('runner.contact-not-recorded', {
        code: isBridgekeepError(error) ? error.code : 'INTERNAL',
      })
    }
  }

  private emitStatus(): void {
    this.options.events.emit('runner:status', this.status())
  }

  /** Audit without letting a failure to audit (no vault yet) break supervision. */
  private audit(entry: AuditRecord): void {
    try {
      if (!this.options.vault.exists()) return
      this.options.audit.record({ target: localTarget(), ...entry })
    } catch (error) {
      this.log.warn('runner.audit-failed', {
        action: entry.action,
        code: isBridgekeepError(error) ? error.code : 'INTERNAL',
      })
    }
  }
}

function localTarget(): NonNullable<AuditRecord['target']> {
  return { type: 'runner', id: LOCAL_RUNNER_ID, name: 'Local runner' }
}

function parseRunnerLine(line: string): Omit<RunnerLogEntry, 'seq'> | undefined {
  if (!line.startsWith('{')) return undefined
  try {
    const value = JSON.parse(line) as Record<string, unknown>
    const level = value.level
    if (typeof value.event !== 'string' || !(logLevels as readonly unknown[]).includes(level))
      return undefined
    return {
      time: typeof value.time === 'string' ? value.time : new Date().toISOString(),
      level: level as RunnerLogEntry['level'],
      source: 'runner',
      runnerId: LOCAL_RUNNER_ID,
      event: value.event.slice(0, 100),
      fields: (typeof value.fields === 'object' && value.fields !== null
        ? value.fields
        : {}) as RunnerLogEntry['fields'],
    }
  } catch {
    return undefined
  }
}

function bindAddress(options: RunnerServiceOptions): { host: string; port: number | undefined } {
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

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::'
}

/** What a runner on another host dials: the bound address, or this machine's name. */
function advertisedHost(host: string): string {
  return isWildcard(host) ? hostname() : host
}

function unique(values: string[]): string[] {
  return [...new Set(values)]
}
