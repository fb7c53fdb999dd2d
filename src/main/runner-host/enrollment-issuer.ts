import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { BridgekeepError } from '../../shared/errors'
import type { EnrollmentFile, KnownRunner } from '../../shared/runner-protocol/status'
import type { Logger } from '../log'
import type { AuditRecord } from '../services/audit/audit-service'
import type { Vault } from '../services/vault/vault'
import { isWildcard, type ControlEndpoint } from './control-endpoint'
import { LOCAL_RUNNER_ID, type RunnerIdentity } from './runner-identity'

export interface EnrollmentIssuerOptions {
  vault: Vault
  identity: RunnerIdentity
  control: ControlEndpoint
  log: Logger
  /** Records an audit entry (never throws: a failure to audit must not break the runner). */
  audit: (entry: AuditRecord) => void
  /** Credentials were issued (the list of known runners changed). */
  onIssued: () => void
}

/** Renewed this long before they expire, so a runner never starts with an enrollment about to lapse. */
const CREDENTIAL_MARGIN_MS = 3_600_000

/**
 * Runner enrollments, the files users call "runner credentials" (a certificate, its key, an API
 * key and where to connect): the
 * one made for a runner started by hand, written for the user, and the local runner's, made in
 * memory for the app's session. Also the list of runners the vault issued credentials to.
 */
export class EnrollmentIssuer {
  private cachedLocal: { json: string; serial: string; expiresAt: number } | undefined

  constructor(private readonly options: EnrollmentIssuerOptions) {}

  /** An enrollment for a runner started by hand; refused while earlier ones are live (regenerate). */
  async generate(request: { label?: string } = {}): Promise<EnrollmentFile> {
    if (this.runners().some((runner) => runner.kind === 'remote' && runner.active)) {
      throw new BridgekeepError(
        'CONFLICT',
        'Runner credentials already exist for this vault.',
        'Regenerate them to replace (and revoke) the earlier ones.',
      )
    }
    return this.issueRemote(request.label, 0)
  }

  /** A new enrollment; every earlier certificate and API key is revoked, and their runners dropped. */
  async regenerate(request: { label?: string } = {}): Promise<EnrollmentFile> {
    const { vault, identity, control, log } = this.options
    vault.requireKey()
    await control.controlEndpoint()
    const revoked = identity.revokeAll('remote')
    const dropped = control.drop(
      revoked,
      'Its credentials were regenerated: this certificate and API key are revoked.',
    )
    log.info('runner.credentials-revoked', { certificates: revoked.length, dropped })
    return this.issueRemote(request.label, revoked.length)
  }

  /** Runners this vault enrolled, local and remote, with their last contact. */
  runners(): KnownRunner[] {
    if (!this.options.vault.exists()) return []
    const connected = new Set(this.options.control.sessions().map((s) => s.info.runnerId))
    return this.options.identity.runners().map((row) => ({
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

  private async issueRemote(label: string | undefined, revoked: number): Promise<EnrollmentFile> {
    const { vault, identity, control, log } = this.options
    vault.requireKey()
    const endpoint = await control.controlEndpoint()
    const runnerId = randomUUID()
    const name = label ?? 'Remote runner'
    const { enrollment } = await identity.issueRunner({
      runnerId,
      kind: 'remote',
      label: name,
      control: { host: advertisedHost(endpoint.host), port: endpoint.port },
    })
    this.options.audit({
      action: 'runner.credentials',
      target: { type: 'runner', id: runnerId, name },
      detail: revoked
        ? `Regenerated; ${revoked} earlier certificate(s) and API key(s) revoked`
        : 'Generated',
    })
    log.info('runner.credentials-issued', { runnerId, revoked })
    this.options.onIssued()
    return {
      runnerId,
      filename: `bridgekeep-runner-${runnerId.slice(0, 8)}.json`,
      content: `${JSON.stringify(enrollment, null, 2)}\n`,
      revoked,
    }
  }
}

/** What a runner on another host dials: the bound address, or this machine's name. */
function advertisedHost(host: string): string {
  return isWildcard(host) ? hostname() : host
}
