import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { BridgekeepError } from '../../shared/errors'
import {
  LOCAL_RUNNER_NAME,
  runnerNameSchema,
  type EnrollmentFile,
  type EnrollmentRequest,
  type KnownRunner,
} from '../../shared/runner-protocol/status'
import type { Logger } from '../log'
import type { AuditRecord } from '../services/audit/audit-service'
import type { Vault } from '../services/vault/vault'
import { isWildcard, type ControlEndpoint } from './control-endpoint'
import { LOCAL_RUNNER_ID, type RunnerIdentity } from './runner-identity'
import type { RunnerRow } from './runner-repository'

export interface EnrollmentIssuerOptions {
  vault: Vault
  identity: RunnerIdentity
  control: ControlEndpoint
  log: Logger
  /** Records an audit entry (never throws: a failure to audit must not break the runner). */
  audit: (entry: AuditRecord) => void
  /** Credentials were issued (the list of known runners changed). */
  onIssued: () => void
  /** Operations sent to this runner in the last minute (null where this process cannot know). */
  operationsPerMinute: (runnerId: string) => number | null
}

/** Renewed this long before they expire, so a runner never starts with an enrollment about to lapse. */
const CREDENTIAL_MARGIN_MS = 3_600_000

const REVOKED_REASON = 'Its credentials were regenerated: this certificate and API key are revoked.'

/**
 * Runner enrollments, the files users call "runner credentials" (a certificate, its key, an API
 * key and where to connect): those of named runners started by hand, written for the user, and
 * the local runner's, made in memory for the app's session. Also the list of runners the vault
 * issued credentials to, and their deletion.
 */
export class EnrollmentIssuer {
  private cachedLocal: { json: string; serial: string; expiresAt: number } | undefined

  constructor(private readonly options: EnrollmentIssuerOptions) {}

  /** Credentials for a new named runner; refused when the name is taken (regenerate that one). */
  async generate(request: EnrollmentRequest = {}): Promise<EnrollmentFile> {
    const name = checkedName(request.name ?? 'remote')
    this.options.vault.requireKey()
    if (name === LOCAL_RUNNER_NAME || this.options.identity.runnerByName(name)) {
      throw new BridgekeepError(
        'CONFLICT',
        `A runner named ${name} already exists.`,
        name === LOCAL_RUNNER_NAME
          ? 'local is the runner the app starts itself: choose another name.'
          : `Regenerate its credentials (bridgekeep runner credentials --regenerate ${name}) to replace and revoke them, or choose another name.`,
      )
    }
    return this.issueRemote({ runnerId: randomUUID(), name, label: request.label }, 0)
  }

  /**
   * New credentials for one runner, keeping its identity: its earlier certificates and API keys
   * are revoked and its sessions dropped at once; other runners are left alone. Without a name,
   * the only remote runner (the app's Regenerate button predates names).
   */
  async regenerate(request: EnrollmentRequest = {}): Promise<EnrollmentFile> {
    const { identity, control, log } = this.options
    this.options.vault.requireKey()
    const runner = this.remoteRunner(request.name)
    await control.controlEndpoint()
    const revoked = identity.revokeRunner(runner.id)
    const dropped = control.drop(revoked, REVOKED_REASON)
    log.info('runner.credentials-revoked', {
      runnerId: runner.id,
      certificates: revoked.length,
      dropped,
    })
    return this.issueRemote(
      { runnerId: runner.id, name: runner.name, label: request.label ?? runner.label },
      revoked.length,
    )
  }

  /**
   * Revokes a remote runner's credentials, drops it, and forgets it. Refused while connections
   * name it, unless `force` (their operations then fail, naming the fix).
   */
  delete(
    name: string,
    options: { force?: boolean } = {},
  ): { runnerId: string; revoked: number; connections: string[] } {
    const { identity, control, log } = this.options
    this.options.vault.requireKey()
    const runner = this.remoteRunner(checkedName(name))
    const naming = identity.connectionsNaming(runner.name).map((c) => c.name)
    if (naming.length > 0 && !options.force) {
      throw new BridgekeepError(
        'CONFLICT',
        `Runner ${runner.name} is the runner of ${naming.length} connection(s): ${naming.slice(0, 5).join(', ')}${naming.length > 5 ? ', …' : ''}.`,
        'Choose another runner for them first (bridgekeep edit NAME --runner OTHER), or delete anyway with --force: their operations then fail until you do.',
      )
    }
    const revoked = identity.deleteRunner(runner.id)
    control.drop(revoked, 'The runner was deleted from the vault.')
    log.info('runner.deleted', { runnerId: runner.id, certificates: revoked.length })
    this.options.audit({
      action: 'runner.credentials',
      target: { type: 'runner', id: runner.id, name: runner.name },
      detail: `Deleted; ${revoked.length} certificate(s) and API key(s) revoked`,
    })
    this.options.onIssued()
    return { runnerId: runner.id, revoked: revoked.length, connections: naming }
  }

  /** Runners this vault enrolled, local and remote, with their last contact. */
  runners(): KnownRunner[] {
    if (!this.options.vault.exists()) return []
    const { control } = this.options
    const sessions = new Set(control.sessions().map((s) => s.info.runnerId))
    // The CLI holds no sessions: it reads what the app wrote.
    const connected = (row: RunnerRow) =>
      control.servesControl() ? sessions.has(row.id) : row.connected_at !== null
    return this.options.identity.runners().map((row) => ({
      id: row.id,
      name: row.name,
      label: row.label,
      kind: row.kind,
      active: row.active > 0,
      connected: connected(row),
      createdAt: row.created_at,
      lastContactAt: sessions.has(row.id) ? new Date().toISOString() : row.last_contact_at,
      lastAddress: row.last_address,
      version: row.last_version,
      expiresAt: row.not_after,
      operationsPerMinute: this.options.operationsPerMinute(row.id),
    }))
  }

  /** The local runner's enrollment: made once per app session, kept in memory only. */
  async forLocalRunner(): Promise<string> {
    const { identity, control } = this.options
    const endpoint = await control.ensureListener()
    const now = Date.now()
    if (
      this.cachedLocal &&
      this.cachedLocal.expiresAt - CREDENTIAL_MARGIN_MS > now &&
      !identity.isRevoked(this.cachedLocal.serial)
    ) {
      return this.cachedLocal.json
    }
    identity.revokeAll('local')
    const { enrollment, serial } = await identity.issueRunner({
      runnerId: LOCAL_RUNNER_ID,
      name: LOCAL_RUNNER_NAME,
      kind: 'local',
      label: 'Local runner',
      control: {
        host: isWildcard(endpoint.host) ? '127.0.0.1' : endpoint.host,
        port: endpoint.port,
      },
    })
    this.cachedLocal = {
      json: JSON.stringify(enrollment),
      serial,
      expiresAt: Date.parse(enrollment.expiresAt),
    }
    return this.cachedLocal.json
  }

  /** The remote runner of that name; without one, the only remote runner there is. */
  private remoteRunner(name: string | undefined): RunnerRow {
    const { identity } = this.options
    if (name === LOCAL_RUNNER_NAME) {
      throw new BridgekeepError(
        'CONFLICT',
        'local is the runner the app starts itself: its credentials are made for each session.',
        'Name a remote runner (bridgekeep runner list shows them).',
      )
    }
    if (name !== undefined) {
      const row = identity.runnerByName(name)
      if (!row) {
        throw new BridgekeepError(
          'NOT_FOUND',
          `There is no runner named ${name}.`,
          `bridgekeep runner list shows the runners; bridgekeep runner credentials --name ${name} creates it.`,
        )
      }
      return row
    }
    const remote = identity.runners().filter((row) => row.kind === 'remote')
    if (remote.length === 1) return remote[0]!
    throw new BridgekeepError(
      remote.length === 0 ? 'NOT_FOUND' : 'CONFLICT',
      remote.length === 0
        ? 'There is no remote runner to regenerate.'
        : `There are ${remote.length} remote runners: say which one (${remote.map((r) => r.name).join(', ')}).`,
      remote.length === 0
        ? 'Generate credentials first.'
        : 'Give its name, e.g. bridgekeep runner credentials --regenerate NAME.',
    )
  }

  private async issueRemote(
    runner: { runnerId: string; name: string; label: string | undefined },
    revoked: number,
  ): Promise<EnrollmentFile> {
    const { identity, control, log } = this.options
    const endpoint = await control.controlEndpoint()
    const { runnerId, name } = runner
    const label = runner.label ?? name
    const { enrollment } = await identity.issueRunner({
      runnerId,
      name,
      kind: 'remote',
      label,
      control: { host: advertisedHost(endpoint.host), port: endpoint.port },
    })
    this.options.audit({
      action: 'runner.credentials',
      target: { type: 'runner', id: runnerId, name },
      detail: revoked
        ? `Regenerated; ${revoked} earlier certificate(s) and API key(s) revoked`
        : 'Generated',
    })
    log.info('runner.credentials-issued', { runnerId, name, revoked })
    this.options.onIssued()
    return {
      runnerId,
      name,
      filename: `bridgekeep-runner-${name}.json`,
      content: `${JSON.stringify(enrollment, null, 2)}\n`,
      revoked,
    }
  }
}

function checkedName(name: string): string {
  const parsed = runnerNameSchema.safeParse(name)
  if (!parsed.success) {
    throw new BridgekeepError(
      'VALIDATION',
      `${JSON.stringify(name.slice(0, 60))} is not a runner name.`,
      parsed.error.issues[0]?.message,
    )
  }
  return parsed.data
}

/** What a runner on another host dials: the bound address, or this machine's name. */
function advertisedHost(host: string): string {
  return isWildcard(host) ? hostname() : host
}
