import type { AddressInfo } from 'node:net'
import tls, { type TLSSocket } from 'node:tls'
import { encodeFrame, FrameDecoder, FrameError } from '../../shared/runner-protocol/framing'
import {
  PROTOCOL_VERSION,
  runnerFrameSchema,
  type AppFrame,
  type RefusalStage,
  type RunnerFrame,
} from '../../shared/runner-protocol/protocol'
import type { Logger } from '../log'
import type { CertificateCheck } from './runner-identity'
import { RunnerSession } from './runner-session'

export interface ControlAuthority {
  checkCertificate(peer: ReturnType<TLSSocket['getPeerX509Certificate']>): CertificateCheck
  checkApiKey(serial: string, apiKey: string): boolean
  /** Read on every sweep: another process (the CLI) may revoke while a runner is connected. */
  isRevoked(serial: string): boolean
}

export interface ControlServerOptions {
  vaultId: string
  authority: ControlAuthority
  /** The listener's own certificate and key, and the vault CA that signs runner certificates. */
  tls: { certPem: string; keyPem: string; caPem: string }
  host: string
  port: number
  log: Logger
  maxFrameBytes: number
  /** How long a runner has to send its API key after the handshake. */
  authTimeoutMs: number
  heartbeatMs: number
  /** A runner that sends nothing for this long is dropped (local runners are also killed). */
  silenceLimitMs: number
  onSession(session: RunnerSession): void
}

/**
 * The app's control listener: mutual TLS 1.3 (the runner's certificate chain is checked by
 * OpenSSL against the vault CA and refused before any byte of ours is read), then the identity
 * and revocation checks, then the API key. Runners connect out to it; nothing connects to them.
 */
export class ControlServer {
  private readonly server: tls.Server
  private readonly live = new Set<RunnerSession>()
  private readonly sockets = new Set<TLSSocket>()
  private sweep: NodeJS.Timeout | undefined

  constructor(private readonly options: ControlServerOptions) {
    this.server = tls.createServer(
      {
        key: options.tls.keyPem,
        cert: options.tls.certPem,
        ca: [options.tls.caPem],
        requestCert: true,
        rejectUnauthorized: true,
        minVersion: 'TLSv1.3',
        maxVersion: 'TLSv1.3',
        // Keeps a slow or silent client from holding a half-open handshake forever.
        handshakeTimeout: options.authTimeoutMs,
      },
      (socket) => this.accept(socket),
    )
    this.server.on('tlsClientError', (error: NodeJS.ErrnoException, socket: TLSSocket) => {
      // On TLS 1.3 the refused runner sees only a closed socket: the reason is logged here.
      const reason = handshakeReason(
        (socket as TLSSocket & { authorizationError?: string }).authorizationError ??
          error.code ??
          'handshake failed',
      )
      this.options.log.warn('runner.handshake-refused', {
        stage: 'certificate',
        reason,
        address: addressOf(socket),
      })
    })
  }

  async listen(): Promise<{ host: string; port: number }> {
    await new Promise<void>((resolve, reject) => {
      const fail = (error: Error) => reject(error)
      this.server.once('error', fail)
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', fail)
        resolve()
      })
    })
    const address = this.server.address() as AddressInfo
    this.sweep = setInterval(() => {
      this.dropSilent()
      this.dropRevoked()
    }, this.options.heartbeatMs)
    this.sweep.unref()
    this.options.log.info('runner.listener-started', {
      host: this.options.host,
      port: address.port,
    })
    return { host: this.options.host, port: address.port }
  }

  sessions(): RunnerSession[] {
    return [...this.live]
  }

  /** Drops the sessions holding these certificates (they were revoked), telling each runner why. */
  drop(serials: readonly string[], stage: RefusalStage, reason: string): number {
    let dropped = 0
    for (const session of this.live) {
      if (!serials.includes(session.info.serial)) continue
      this.options.log.warn('runner.dropped', { runnerId: session.info.runnerId, stage, reason })
      session.close({ stage, reason })
      dropped++
    }
    return dropped
  }

  async close(): Promise<void> {
    clearInterval(this.sweep)
    for (const session of this.live) session.close()
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private accept(socket: TLSSocket): void {
    socket.setNoDelay(true)
    this.sockets.add(socket)
    socket.once('close', () => this.sockets.delete(socket))
    socket.on('error', () => undefined) // resets are normal here; 'close' follows
    const address = addressOf(socket)
    const { log } = this.options
    const refuse = (stage: RefusalStage, reason: string, runnerId?: string) => {
      log.warn('runner.refused', { stage, reason, address, runnerId })
      send(socket, { type: 'refused', stage, reason }, this.options.maxFrameBytes)
      socket.end()
      setTimeout(() => socket.destroy(), 1000).unref()
    }
    if (!socket.authorized) {
      // Not reachable with rejectUnauthorized, but never trust a single switch for this.
      refuse('certificate', handshakeReason(String(socket.authorizationError ?? 'unauthorized')))
      return
    }
    const check = this.options.authority.checkCertificate(socket.getPeerX509Certificate())
    if (!check.ok) {
      refuse(check.stage, check.reason)
      return
    }
    const authTimer = setTimeout(
      () =>
        refuse(
          'api-key',
          `No API key within ${this.options.authTimeoutMs} ms of the handshake.`,
          check.runnerId,
        ),
      this.options.authTimeoutMs,
    )
    const decoder = new FrameDecoder(this.options.maxFrameBytes)
    let session: RunnerSession | undefined
    let done = false
    const violation = (problem: string, bytes: number) => {
      if (done) return
      done = true
      clearTimeout(authTimer)
      // Never the frame's content: it may be a secret.
      log.warn('runner.frame-rejected', { problem, bytes, address, runnerId: check.runnerId })
      socket.destroy()
      session?.close()
    }
    socket.on('data', (chunk: Buffer) => {
      try {
        receive(chunk)
      } catch {
        // A bug of ours must cost this connection, never the app.
        violation('internal', chunk.length)
      }
    })
    const receive = (chunk: Buffer) => {
      if (done) return
      let values: unknown[]
      try {
        values = decoder.push(chunk)
      } catch (error) {
        if (error instanceof FrameError) violation(error.problem, error.bytes)
        else violation('malformed', chunk.length)
        return
      }
      for (const value of values) {
        const parsed = runnerFrameSchema.safeParse(value)
        if (!parsed.success) {
          violation('invalid', JSON.stringify(value)?.length ?? 0)
          return
        }
        const frame: RunnerFrame = parsed.data
        if (session) {
          if (frame.type === 'auth') {
            violation('unexpected-auth', 0)
            return
          }
          session.handle(frame)
          continue
        }
        if (frame.type !== 'auth') {
          violation('before-auth', 0)
          return
        }
        clearTimeout(authTimer)
        if (frame.runnerId !== check.runnerId) {
          done = true
          refuse(
            'api-key',
            `The runner says it is ${frame.runnerId}, but its certificate names ${check.runnerId}.`,
            check.runnerId,
          )
          return
        }
        if (!this.options.authority.checkApiKey(check.serial, frame.apiKey)) {
          done = true
          refuse(
            'api-key',
            'The API key does not match the credentials of this certificate.',
            check.runnerId,
          )
          return
        }
        session = new RunnerSession(
          {
            runnerId: check.runnerId,
            serial: check.serial,
            pid: frame.pid,
            local: frame.local,
            version: frame.version,
            address,
          },
          socket,
          this.options.maxFrameBytes,
        )
        const current = session
        this.live.add(current)
        current.onClose((reason) => {
          this.live.delete(current)
          log.info('runner.disconnected', { runnerId: current.info.runnerId, reason })
        })
        current.send({
          type: 'welcome',
          protocol: PROTOCOL_VERSION,
          vaultId: this.options.vaultId,
          runnerId: check.runnerId,
          heartbeatMs: this.options.heartbeatMs,
        })
        log.info('runner.connected', {
          runnerId: check.runnerId,
          address,
          pid: frame.pid,
          local: frame.local,
          version: frame.version,
        })
        this.options.onSession(current)
      }
    }
    socket.once('close', () => {
      clearTimeout(authTimer)
      done = true
    })
  }

  /**
   * Sessions whose certificate was revoked since they connected. The app's own Regenerate drops
   * them at once (drop()); this catches a revocation written by `bridgekeep runner credentials
   * --regenerate` while the app is open, within one heartbeat.
   */
  private dropRevoked(): void {
    let revoked: string[]
    try {
      revoked = [...this.live]
        .map((session) => session.info.serial)
        .filter((serial) => this.options.authority.isRevoked(serial))
    } catch (error) {
      // The vault closed under us: the next sweep, or the next handshake, checks again.
      this.options.log.warn('runner.revocation-check-failed', {
        reason: error instanceof Error ? error.message.slice(0, 200) : 'unknown',
      })
      return
    }
    if (revoked.length > 0)
      this.drop(
        revoked,
        'revoked',
        'Its credentials were regenerated: this certificate and API key are revoked.',
      )
  }

  /** Remote runners that stopped talking are dropped; the supervisor handles its own. */
  private dropSilent(): void {
    const limit = Date.now() - this.options.silenceLimitMs
    for (const session of this.live) {
      if (session.info.local || session.lastSeenAt >= limit) continue
      this.options.log.warn('runner.silent', { runnerId: session.info.runnerId })
      session.close({ stage: 'protocol', reason: 'No heartbeat: the app dropped the connection.' })
    }
  }
}

function send(socket: TLSSocket, frame: AppFrame, maxBytes: number): void {
  try {
    socket.write(encodeFrame(frame, maxBytes))
  } catch {
    // a socket already closing
  }
}

function addressOf(socket: TLSSocket): string {
  return socket.remoteAddress ? `${socket.remoteAddress}:${socket.remotePort}` : 'unknown'
}

const HANDSHAKE_REASONS: Record<string, string> = {
  CERT_HAS_EXPIRED: 'The runner certificate has expired.',
  CERT_NOT_YET_VALID: 'The runner certificate is not valid yet (check the clocks).',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "The runner certificate was not issued by this vault's CA.",
  UNABLE_TO_GET_ISSUER_CERT: "The runner certificate was not issued by this vault's CA.",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "The runner certificate was not issued by this vault's CA.",
  SELF_SIGNED_CERT_IN_CHAIN: "The runner certificate chains to a CA that is not this vault's.",
  DEPTH_ZERO_SELF_SIGNED_CERT: 'The runner certificate is self-signed.',
  CERT_SIGNATURE_FAILURE: 'The runner certificate signature does not verify.',
  ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE: 'The runner presented no certificate.',
  ECONNRESET: 'The runner closed the connection during the handshake.',
  ERR_SSL_NO_PROTOCOLS_AVAILABLE: 'The runner does not speak TLS 1.3.',
  ERR_SSL_UNSUPPORTED_PROTOCOL: 'The runner does not speak TLS 1.3.',
}

/** An OpenSSL verification code as a sentence (with the code, for searching). */
export function handshakeReason(code: string): string {
  const known = HANDSHAKE_REASONS[code]
  return known
    ? `${known.replace(/\.$/, '')} (${code}).`
    : `The TLS handshake failed (${code.slice(0, 120)}).`
}
