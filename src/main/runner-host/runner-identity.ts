import { createHash, randomBytes, timingSafeEqual, type X509Certificate } from 'node:crypto'
import { ENROLLMENT_FORMAT, type RunnerEnrollment } from '../../shared/runner-protocol/enrollment'
import {
  controlIdentity,
  parseRunnerIdentity,
  runnerIdentity,
  urisOf,
} from '../../shared/runner-protocol/identity'
import type { RefusalStage } from '../../shared/runner-protocol/protocol'
import { unwrapKey, wrapKey } from '../security/envelope'
import {
  createCertificateAuthority,
  issueCertificate,
  type CertificateAuthority,
  type IssuedCertificate,
} from '../security/local-ca'
import type { Vault } from '../services/vault/vault'
import { RunnerRepository, type RunnerKind } from './runner-repository'
import { writeTransaction } from '../db/database'

const DAY_MS = 86_400_000
/** Credentials made for a runner started by hand. */
export const REMOTE_VALIDITY_MS = 365 * DAY_MS
/** The local runner's credentials live in the app's memory for one session. */
export const LOCAL_VALIDITY_MS = 7 * DAY_MS
export const LOCAL_RUNNER_ID = 'local'

export type CertificateCheck =
  | { ok: true; runnerId: string; serial: string }
  | { ok: false; stage: RefusalStage; reason: string }

export interface IssueRequest {
  runnerId: string
  /** Unique in the vault (checked by the caller, enforced by the table). */
  name: string
  kind: RunnerKind
  label: string
  control: { host: string; port: number }
  /** Tests issue expired or not-yet-valid certificates; users never do. */
  notBefore?: Date
  notAfter?: Date
}

/**
 * The vault's runner identities: its CA (the key wrapped by the vault's data key, bound to the
 * vault id and this purpose), the certificates and API keys it issues, and the checks the
 * control listener makes. Only serials and SHA-256 hashes of API keys are stored.
 */
export class RunnerIdentity {
  private pendingCa: Promise<CertificateAuthority> | undefined

  constructor(
    private readonly vault: Vault,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private repo(): RunnerRepository {
    return new RunnerRepository(this.vault.database())
  }

  /** The CA certificate, if the vault has one yet (no key needed to read it). */
  caCertificate(): string | undefined {
    return this.repo().ca()?.cert_pem
  }

  /** The CA with its key (the vault must be unlocked); made on first use. */
  async authority(): Promise<CertificateAuthority> {
    const key = this.vault.requireKey()
    const vaultId = this.vault.vaultId()
    const stored = this.repo().ca()
    if (stored) {
      return {
        certPem: stored.cert_pem,
        keyPkcs8: unwrapKey(key, stored.key_wrapped, caPurpose(vaultId)),
      }
    }
    // One creation even when several callers ask at once.
    this.pendingCa ??= (async () => {
      const ca = await createCertificateAuthority(vaultId, this.now())
      const repo = this.repo()
      if (!repo.ca()) {
        const wrapped = wrapKey(this.vault.requireKey(), ca.keyPkcs8, caPurpose(vaultId))
        repo.insertCa(ca.certPem, wrapped, this.now().toISOString())
      }
      return ca
    })().finally(() => {
      this.pendingCa = undefined
    })
    await this.pendingCa
    return this.authority()
  }

  /** A certificate for the control listener, valid for the hosts a runner may dial. */
  async issueServerCertificate(hosts: {
    ips: string[]
    dns: string[]
  }): Promise<IssuedCertificate> {
    const ca = await this.authority()
    try {
      return await issueCertificate(
        ca,
        {
          usage: 'server',
          commonName: 'Bridgekeep control listener',
          uris: [controlIdentity(this.vault.vaultId())],
          ips: hosts.ips,
          dns: hosts.dns,
          notAfter: new Date(this.now().getTime() + 30 * DAY_MS),
        },
        this.now(),
      )
    } finally {
      ca.keyPkcs8.fill(0)
    }
  }

  /**
   * A certificate, key and API key for one runner, as the enrollment file. The key and API key
   * are returned once and never stored; the serial and the key's hash are.
   */
  async issueRunner(
    request: IssueRequest,
  ): Promise<{ enrollment: RunnerEnrollment; serial: string }> {
    const vaultId = this.vault.vaultId()
    const ca = await this.authority()
    const at = this.now()
    let cert: IssuedCertificate
    try {
      cert = await issueCertificate(
        ca,
        {
          usage: 'client',
          commonName: `Bridgekeep runner ${request.runnerId}`,
          uris: [runnerIdentity(vaultId, request.runnerId)],
          notBefore: request.notBefore,
          notAfter:
            request.notAfter ??
            new Date(
              at.getTime() + (request.kind === 'local' ? LOCAL_VALIDITY_MS : REMOTE_VALIDITY_MS),
            ),
        },
        at,
      )
    } finally {
      ca.keyPkcs8.fill(0)
    }
    const apiKey = `bkr_${randomBytes(32).toString('base64url')}`
    const repo = this.repo()
    writeTransaction(this.vault.database(), () => {
      repo.upsertRunner(
        request.runnerId,
        request.name,
        request.kind,
        request.label,
        at.toISOString(),
      )
      repo.insertCredential({
        serial: cert.serial,
        runner_id: request.runnerId,
        api_key_hash: hashApiKey(apiKey),
        issued_at: at.toISOString(),
        not_after: cert.notAfter.toISOString(),
      })
    })
    return {
      serial: cert.serial,
      enrollment: {
        format: ENROLLMENT_FORMAT,
        vault: { id: vaultId },
        runner: { id: request.runnerId, label: request.label },
        control: request.control,
        caCertificate: ca.certPem,
        certificate: cert.certPem,
        privateKey: cert.keyPem,
        apiKey,
        issuedAt: at.toISOString(),
        expiresAt: cert.notAfter.toISOString(),
      },
    }
  }

  /** Revokes every earlier certificate and API key of runners of `kind`; returns their serials. */
  revokeAll(kind: RunnerKind): string[] {
    return this.repo().revokeAll(kind, this.now().toISOString())
  }

  /** Revokes one runner's certificates and API keys; returns their serials. */
  revokeRunner(runnerId: string): string[] {
    return this.repo().revokeRunner(runnerId, this.now().toISOString())
  }

  runnerByName(name: string) {
    return this.repo().runnerByName(name)
  }

  nameOf(runnerId: string): string | undefined {
    return this.repo().nameOf(runnerId)
  }

  connectionsNaming(name: string) {
    return this.repo().connectionsNaming(name)
  }

  /** Revokes and forgets a runner; returns the serials revoked. */
  deleteRunner(runnerId: string): string[] {
    const repo = this.repo()
    return writeTransaction(this.vault.database(), () => {
      const revoked = repo.revokeRunner(runnerId, this.now().toISOString())
      repo.deleteRunner(runnerId)
      return revoked
    })
  }

  /** Whether the app holds a session with the runner, for processes that cannot see it (CLI). */
  setConnected(runnerId: string, connected: boolean): void {
    this.repo().setConnected(runnerId, connected ? this.now().toISOString() : null)
  }

  /**
   * Phase one, after OpenSSL has checked the chain and validity: the certificate must name a
   * runner of this vault and be one this vault issued and has not revoked.
   */
  checkCertificate(peer: X509Certificate | undefined): CertificateCheck {
    if (!peer) return { ok: false, stage: 'certificate', reason: 'The runner sent no certificate.' }
    const serial = peer.serialNumber.toUpperCase()
    const identity = urisOf(peer.subjectAltName)
      .map(parseRunnerIdentity)
      .find((parsed) => parsed !== null)
    if (!identity) {
      return {
        ok: false,
        stage: 'certificate',
        reason: `The certificate (serial ${serial}) names no Bridgekeep runner.`,
      }
    }
    const vaultId = this.vault.vaultId()
    if (identity.vaultId !== vaultId) {
      return {
        ok: false,
        stage: 'certificate',
        reason: `The certificate (serial ${serial}) belongs to vault ${identity.vaultId}, not to this vault (${vaultId}).`,
      }
    }
    const row = this.repo().credential(serial)
    if (!row || row.runner_id !== identity.runnerId) {
      return {
        ok: false,
        stage: 'certificate',
        reason: `The certificate (serial ${serial}) was not issued by this vault to runner ${identity.runnerId}.`,
      }
    }
    if (row.revoked_at) {
      return {
        ok: false,
        stage: 'revoked',
        reason: `The certificate (serial ${serial}) was revoked at ${row.revoked_at}: its credentials were regenerated.`,
      }
    }
    return { ok: true, runnerId: identity.runnerId, serial }
  }

  /** Phase two: the API key issued with this certificate, and still live. */
  checkApiKey(serial: string, apiKey: string): boolean {
    const row = this.repo().credential(serial)
    if (!row || row.revoked_at) return false
    const expected = Buffer.from(row.api_key_hash, 'hex')
    const actual = Buffer.from(hashApiKey(apiKey), 'hex')
    return expected.length === actual.length && timingSafeEqual(expected, actual)
  }

  isRevoked(serial: string): boolean {
    const row = this.repo().credential(serial)
    return !row || row.revoked_at !== null
  }

  /** With a new data key (vault re-encryption): the CA key is wrapped again, in its transaction. */
  rewrapCa(oldKey: Buffer, newKey: Buffer): void {
    const repo = this.repo()
    const stored = repo.ca()
    if (!stored) return
    const purpose = caPurpose(this.vault.vaultId())
    const key = unwrapKey(oldKey, stored.key_wrapped, purpose)
    try {
      repo.replaceCaKey(wrapKey(newKey, key, purpose))
    } finally {
      key.fill(0)
    }
  }

  recordContact(runnerId: string, address: string, version: string): void {
    this.repo().recordContact(runnerId, this.now().toISOString(), address, version)
  }

  runners() {
    return this.repo().runners()
  }

  setting(key: string): string | undefined {
    return this.repo().setting(key)
  }

  setSetting(key: string, value: string): void {
    this.repo().setSetting(key, value)
  }
}

/** SHA-256 is enough: the key is 256 random bits, so there is nothing to brute-force. */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex')
}

function caPurpose(vaultId: string): string {
  return `bridgekeep:runner-ca:${vaultId}`
}
