import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { isBridgekeepError } from '../../shared/errors'
import type { Operation, OperationResult } from '../../shared/runner-protocol/protocol'
import type {
  EnrollmentFile,
  EnrollmentRequest,
  KnownRunner,
  RunnerLogEntry,
  RunnerLogQuery,
  RunnerMetrics,
  RunnerStatus,
} from '../../shared/runner-protocol/status'
import type { Logger } from '../log'
import type { AuditRecord } from '../services/audit/audit-service'
import type { EventBus } from '../services/events/event-bus'
import type { Vault } from '../services/vault/vault'
import { ControlEndpoint, type Endpoint } from './control-endpoint'
import { builtRunnerLauncher, type ProcessLauncher } from './process-launcher'
import { LOCAL_RUNNER_ID, RunnerIdentity } from './runner-identity'
import { RunnerLog } from './runner-log'
import { EnrollmentIssuer } from './enrollment-issuer'
import { RunnerMetricsRecorder } from './runner-metrics'
import { RunnerRouting } from './runner-routing'
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
  /** 0 (the default): a random port, chosen once and then kept, so enrollment files stay valid. */
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

const OPERATIONS_WINDOW_MS = 60_000

/**
 * The runner feature on the app's side: the local runner's supervision, logs and metrics, and
 * `request()`, the one way main-side code runs an operation. Where runners connect is
 * `ControlEndpoint`'s; the enrollments (credentials files) they connect with are `EnrollmentIssuer`'s.
 */
export class RunnerService {
  readonly identity: RunnerIdentity
  readonly logBook: RunnerLog
  private readonly log: Logger
  private readonly metricsRecorder = new RunnerMetricsRecorder()
  private readonly supervisor: Supervisor
  private readonly timings: SupervisorTimings
  private readonly control: ControlEndpoint
  private readonly enrollments: EnrollmentIssuer
  private readonly routing: RunnerRouting
  /** When operations were sent to each runner, for the last minute: its operations per minute. */
  private readonly recentOperations = new Map<string, number[]>()

  constructor(private readonly options: RunnerServiceOptions) {
    this.identity = new RunnerIdentity(options.vault)
    this.logBook = new RunnerLog({ file: join(options.dataDir, 'logs', 'runner.log') })
    this.log = this.logBook.logger(options.log)
    this.timings = { ...DEFAULT_TIMINGS, ...options.timings }
    this.logBook.onLine((entry) => options.events.emit('runner:log', entry))
    this.control = new ControlEndpoint({
      ...options,
      identity: this.identity,
      log: this.log,
      timings: this.timings,
      onSession: (session) => this.onSession(session),
      onListening: () => this.emitStatus(),
    })
    this.enrollments = new EnrollmentIssuer({
      vault: options.vault,
      identity: this.identity,
      control: this.control,
      log: this.log,
      audit: (entry) => this.audit(entry),
      onIssued: () => this.emitStatus(),
      operationsPerMinute: (runnerId) =>
        this.control.servesControl() ? this.recentOperationCount(runnerId) : null,
    })
    this.supervisor = new Supervisor({
      launcher: options.launcher ?? builtRunnerLauncher(),
      enrollment: () => this.enrollments.forLocalRunner(),
      timings: this.timings,
      log: this.log,
      onLine: (line) => this.logBook.appendOutput(line, LOCAL_RUNNER_ID),
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
    this.routing = new RunnerRouting({
      control: this.control,
      supervisor: this.supervisor,
      identity: this.identity,
      timings: this.timings,
      startLocal: () => this.start(),
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
      listener: this.control.listening() ?? null,
      connected: this.control.sessions().length,
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

  /** Resolves once a runner can take operations (see RunnerRouting.ensureReady). */
  ensureReady(runnerName?: string): Promise<void> {
    return this.routing.ensureReady(runnerName)
  }

  /** The app is quitting: stop the local runner and close the listener. */
  async shutdown(): Promise<void> {
    const was = this.supervisor.snapshot().state
    await this.supervisor.stop()
    await this.control.close()
    if (was !== 'stopped' && was !== 'failed')
      this.audit({ action: 'runner.stop', detail: 'App quit' })
  }

  /**
   * Runs one operation on a runner and resolves with its result. Errors are BridgekeepErrors:
   * RUNNER_UNAVAILABLE, RUNNER_TIMEOUT, RUNNER_CANCELLED, or the runner's own (e.g.
   * UNSUPPORTED_OPERATION, OPERATION_FAILED). The secrets travel inside the request only.
   */
  async request(op: Operation, options: RunRequestOptions = {}): Promise<OperationResult> {
    const session = this.routing.pickSession(options.runnerId)
    this.countOperation(session.info.runnerId)
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

  /**
   * Runs one operation on the runner a connection names (`local`, or a remote runner's name,
   * waited for: see RunnerRouting), or, without a name, as request() does. Resolves with the
   * result and the name of the runner that answered.
   */
  async requestOn(
    runnerName: string | undefined,
    op: Operation,
    options: RequestOptions = {},
  ): Promise<{ result: OperationResult; runner: string }> {
    const session = this.routing.pickSession(await this.routing.runnerIdFor(runnerName))
    const result = await this.request(op, { ...options, runnerId: session.info.runnerId })
    const runner = this.identity.nameOf(session.info.runnerId) ?? session.info.runnerId
    return { result, runner }
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

  /** Credentials for a new named runner; refused when the name is taken (regenerate that one). */
  generateCredentials(request: EnrollmentRequest = {}): Promise<EnrollmentFile> {
    return this.enrollments.generate(request)
  }

  /** New credentials for one runner, same identity; its earlier ones are revoked at once. */
  regenerateCredentials(request: EnrollmentRequest = {}): Promise<EnrollmentFile> {
    return this.enrollments.regenerate(request)
  }

  /** Revokes a remote runner's credentials, drops it, and forgets it (see EnrollmentIssuer). */
  deleteRunner(name: string, options: { force?: boolean } = {}) {
    return this.enrollments.delete(name, options)
  }

  /** Runners this vault enrolled, local and remote, with their last contact. */
  runners(): KnownRunner[] {
    return this.enrollments.runners()
  }

  /** The control listener, started on first need; resolves to where runners connect. */
  ensureListener(): Promise<Endpoint> {
    return this.control.ensureListener()
  }

  /** Where the control listener is, or is remembered to be; undefined before it ever listened. */
  rememberedEndpoint(): Endpoint | undefined {
    return this.control.rememberedEndpoint()
  }

  /** Where runners dial: the app's listener, or (the CLI) the address the app listens on. */
  controlEndpoint(): Promise<Endpoint> {
    return this.control.controlEndpoint()
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
    this.contact(runnerId, address, version, true)
    session.onClose(() => {
      this.contact(runnerId, address, version, false)
      this.emitStatus()
    })
    this.emitStatus()
  }

  private countOperation(runnerId: string): void {
    const times = this.recentOperations.get(runnerId) ?? []
    times.push(Date.now())
    this.recentOperations.set(runnerId, times)
  }

  private recentOperationCount(runnerId: string): number {
    const since = Date.now() - OPERATIONS_WINDOW_MS
    const times = (this.recentOperations.get(runnerId) ?? []).filter((at) => at > since)
    this.recentOperations.set(runnerId, times)
    return times.length
  }

  private contact(runnerId: string, address: string, version: string, connected: boolean): void {
    try {
      this.identity.recordContact(runnerId, address, version)
      this.identity.setConnected(runnerId, connected)
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
