import tls, { type TLSSocket } from 'node:tls'
import type { RunnerEnrollment } from '../shared/runner-protocol/enrollment'
import { encodeFrame, FrameDecoder, FrameError } from '../shared/runner-protocol/framing'
import { controlIdentity, urisOf } from '../shared/runner-protocol/identity'
import {
  appFrameSchema,
  PROTOCOL_VERSION,
  type RefusalStage,
  type RunnerFrame,
} from '../shared/runner-protocol/protocol'
import type { RunnerLogger } from './log'
import type { OperationsRegistry } from './operation-registry'

export type SessionOutcome =
  /** Asked to stop (SIGTERM): the connection was closed on purpose. */
  | { kind: 'stopped' }
  /** The app refused this runner, or this runner refused the app: retrying will not help. */
  | { kind: 'refused'; stage: RefusalStage | 'server'; reason: string }
  /** Connected and authenticated, then the connection ended. */
  | { kind: 'lost'; reason: string }
  /** Never reached the app. */
  | { kind: 'unreachable'; reason: string }

export interface ClientOptions {
  enrollment: RunnerEnrollment
  /** Started by the app: logs stay on stderr (the app reads them there). */
  local: boolean
  version: string
  registry: OperationsRegistry
  log: RunnerLogger
  maxFrameBytes: number
  connectTimeoutMs?: number
  /** Called once the app has accepted the runner. */
  onReady?: () => void
}

/**
 * One connection to the app's control listener: TLS 1.3 with this runner's certificate (phase
 * one), the API key (phase two), then operations until the connection ends. The runner never
 * listens: it only dials out.
 */
export function runControlSession(
  options: ClientOptions,
  stop: AbortSignal,
): Promise<SessionOutcome> {
  const { enrollment, log } = options
  return new Promise<SessionOutcome>((resolve) => {
    let outcome: SessionOutcome | undefined
    let secure = false
    let welcomed = false
    let lastError: NodeJS.ErrnoException | undefined
    let heartbeat: NodeJS.Timeout | undefined
    const running = new Map<string, AbortController>()
    const decoder = new FrameDecoder(options.maxFrameBytes)
    const expectedServer = controlIdentity(enrollment.vault.id)

    const socket: TLSSocket = tls.connect({
      host: enrollment.control.host,
      port: enrollment.control.port,
      ca: [enrollment.caCertificate],
      cert: enrollment.certificate,
      key: enrollment.privateKey,
      minVersion: 'TLSv1.3',
      maxVersion: 'TLSv1.3',
      // The chain is checked against the vault CA (above); the listener's identity is the vault's
      // control URI, which only that CA issues, whatever host name or address the runner dials.
      checkServerIdentity: (_host, cert) =>
        urisOf(cert.subjectaltname).includes(expectedServer)
          ? undefined
          : Object.assign(
              new Error(
                `The control listener at ${enrollment.control.host}:${enrollment.control.port} is not this vault's (${enrollment.vault.id}).`,
              ),
              { code: 'ERR_BRIDGEKEEP_SERVER_IDENTITY' },
            ),
    })
    const connectTimer = setTimeout(() => {
      finish({ kind: 'unreachable', reason: 'The app did not answer in time.' })
      socket.destroy()
    }, options.connectTimeoutMs ?? 10_000)

    const send = (frame: RunnerFrame) => {
      if (!socket.destroyed) socket.write(encodeFrame(frame, options.maxFrameBytes))
    }
    const finish = (result: SessionOutcome) => {
      outcome ??= result
    }
    const onStop = () => {
      finish({ kind: 'stopped' })
      socket.end()
      setTimeout(() => socket.destroy(), 500).unref()
    }
    stop.addEventListener('abort', onStop, { once: true })

    socket.on('secureConnect', () => {
      secure = true
      clearTimeout(connectTimer)
      socket.setNoDelay(true)
      send({
        type: 'auth',
        protocol: PROTOCOL_VERSION,
        runnerId: enrollment.runner.id,
        apiKey: enrollment.apiKey,
        version: options.version,
        pid: process.pid,
        platform: `${process.platform}-${process.arch}`,
        local: options.local,
      })
    })
    socket.on('error', (error: NodeJS.ErrnoException) => {
      lastError = error
    })
    socket.on('data', (chunk: Buffer) => {
      try {
        receive(chunk)
      } catch {
        log.error('runner.internal-error', { where: 'receive' })
        finish({ kind: 'lost', reason: 'The runner failed to handle a frame.' })
        socket.destroy()
      }
    })
    const receive = (chunk: Buffer) => {
      let values: unknown[]
      try {
        values = decoder.push(chunk)
      } catch (error) {
        const problem = error instanceof FrameError ? error.problem : 'malformed'
        log.warn('runner.frame-rejected', { problem })
        finish({ kind: 'lost', reason: `The app sent a ${problem} frame.` })
        socket.destroy()
        return
      }
      for (const value of values) {
        const parsed = appFrameSchema.safeParse(value)
        if (!parsed.success) {
          log.warn('runner.frame-rejected', { problem: 'invalid' })
          finish({ kind: 'lost', reason: 'The app sent a frame this runner does not understand.' })
          socket.destroy()
          return
        }
        const frame = parsed.data
        switch (frame.type) {
          case 'welcome': {
            welcomed = true
            log.info('runner.ready', { runnerId: frame.runnerId, heartbeatMs: frame.heartbeatMs })
            if (!options.local) {
              log.setSink((line) =>
                send({ type: 'log', level: line.level, event: line.event, fields: line.fields }),
              )
            }
            const beat = heartbeatSender(send, () => running.size)
            beat()
            heartbeat = setInterval(beat, frame.heartbeatMs)
            options.onReady?.()
            break
          }
          case 'refused':
            finish({ kind: 'refused', stage: frame.stage, reason: frame.reason })
            socket.end()
            break
          case 'request': {
            if (!welcomed) break
            const controller = new AbortController()
            running.set(frame.id, controller)
            const timer = setTimeout(() => controller.abort('timeout'), frame.timeoutMs)
            const started = performance.now()
            void options.registry
              .run(frame.op, { signal: controller.signal, log })
              .then((answer) => {
                clearTimeout(timer)
                running.delete(frame.id)
                if (frame.op.type !== 'ping') {
                  log.info('runner.operation', {
                    type: frame.op.type,
                    provider: frame.op.input.provider,
                    connection: frame.op.connectionId,
                    ok: answer.ok,
                    code: answer.ok ? undefined : answer.error.code,
                    ms: Math.round(performance.now() - started),
                  })
                }
                send(
                  answer.ok
                    ? { type: 'response', id: frame.id, ok: true, result: answer.result }
                    : { type: 'response', id: frame.id, ok: false, error: answer.error },
                )
              })
            break
          }
          case 'cancel':
            running.get(frame.id)?.abort('cancelled')
            break
        }
      }
    }
    socket.on('close', () => {
      clearTimeout(connectTimer)
      clearInterval(heartbeat)
      stop.removeEventListener('abort', onStop)
      log.setSink(undefined)
      for (const controller of running.values()) controller.abort('cancelled')
      if (!secure) {
        const code = lastError?.code ?? 'closed'
        finish(
          code === 'ERR_BRIDGEKEEP_SERVER_IDENTITY' || isCertificateCode(code)
            ? {
                kind: 'refused',
                stage: 'server',
                reason:
                  code === 'ERR_BRIDGEKEEP_SERVER_IDENTITY'
                    ? (lastError?.message ?? code)
                    : `The control listener's certificate was not issued by this vault's CA (${code}): these credentials belong to another vault or an older CA.`,
              }
            : {
                kind: 'unreachable',
                reason: `Cannot reach the app at ${enrollment.control.host}:${enrollment.control.port} (${code}).`,
              },
        )
      } else if (!welcomed) {
        // TLS 1.3: the app checks this runner's certificate after the runner's side of the
        // handshake is done, so a refusal arrives as a closed connection without a word.
        finish({
          kind: 'refused',
          stage: 'certificate',
          reason:
            "The app closed the connection during the handshake: it refused this runner's certificate (expired, not issued by this vault's CA, or revoked). The app's runner log names the reason.",
        })
      } else {
        finish({ kind: 'lost', reason: 'The connection to the app closed.' })
      }
      resolve(outcome!)
    })
  })
}

function heartbeatSender(send: (frame: RunnerFrame) => void, inFlight: () => number): () => void {
  let seq = 0
  return () => {
    const cpu = process.cpuUsage()
    const memory = process.memoryUsage()
    send({
      type: 'heartbeat',
      seq: seq++,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      cpuUserMicros: cpu.user,
      cpuSystemMicros: cpu.system,
      uptimeSeconds: process.uptime(),
      inFlight: inFlight(),
    })
  }
}

function isCertificateCode(code: string): boolean {
  return /CERT|VERIFY|SELF_SIGNED|ISSUER|ERR_TLS_CERT/.test(code)
}
