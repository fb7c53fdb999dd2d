import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, rmSync, unlinkSync } from 'node:fs'
import { createConnection, type Server } from 'node:net'
import { dirname } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { BridgekeepError } from '../../shared/errors'
import type { Logger } from '../log'
import { isNamedPipe } from './socket-path'

/** A lock older than this was left by an agent killed in the few milliseconds it holds it. */
const STALE_LOCK_MS = 10_000
const ATTEMPTS = 100

/**
 * Makes `server` listen on `socketPath`, as the only agent there. Each starter probes, removes a
 * dead file (a killed agent's socket) and binds only while it holds `<socket>.lock` (created
 * O_EXCL): under the lock, a probe that finds nobody answering cannot be overtaken by another
 * starter binding, and a file removed is the dead one. Of two agents started at once exactly one
 * listens; the other, once it holds the lock, finds it answering and is told where it is.
 */
export async function claimSocket(server: Server, socketPath: string, log: Logger): Promise<void> {
  // A named pipe vanishes with its server: one in use means a live agent.
  if (isNamedPipe(socketPath)) return listenOn(server, socketPath).catch(busy(socketPath))
  ensureSocketFolder(dirname(socketPath))
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const unlock = takeLock(`${socketPath}.lock`)
    if (!unlock) {
      // Another starter is claiming the socket right now: wait for it, then see who won.
      await sleep(20)
      continue
    }
    try {
      const found = await probe(socketPath)
      if (found === 'answers') throw alreadyRunning(socketPath)
      if (found === 'dead') {
        log.info('agent.stale-socket', { socket: socketPath })
        unlinkSync(socketPath)
      }
      return await listenOn(server, socketPath).catch(busy(socketPath))
    } finally {
      unlock()
    }
  }
  throw new BridgekeepError(
    'CONFLICT',
    `Another Bridgekeep agent has been starting on ${socketPath} for ${(ATTEMPTS * 20) / 1000} s.`,
    `Wait for it and check with bridgekeep status; if none runs, remove ${socketPath}.lock.`,
  )
}

function listenOn(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (error: Error) => reject(error)
    server.once('error', failed)
    server.listen(path, () => {
      server.removeListener('error', failed)
      resolve()
    })
  })
}

const busy = (socketPath: string) => (error: NodeJS.ErrnoException) => {
  throw error.code === 'EADDRINUSE' ? alreadyRunning(socketPath) : error
}

/** Takes `<socket>.lock`, or returns undefined when another starter holds it. */
function takeLock(lockPath: string): (() => void) | undefined {
  for (let tries = 0; tries < 2; tries++) {
    try {
      closeSync(openSync(lockPath, 'wx', 0o600))
      return () => rmSync(lockPath, { force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      let age: number
      try {
        age = Date.now() - lstatSync(lockPath).mtimeMs
      } catch {
        continue // released meanwhile: try again at once
      }
      if (age < STALE_LOCK_MS) return undefined
      rmSync(lockPath, { force: true })
    }
  }
  return undefined
}

/** A second agent for the same socket refuses to start, naming where the first one is. */
export function alreadyRunning(socketPath: string, pid?: number): BridgekeepError {
  return new BridgekeepError(
    'CONFLICT',
    `A Bridgekeep agent is already running on ${socketPath}${pid ? ` (pid ${pid})` : ''}.`,
    'Use it (bridgekeep status shows it), or stop it first: systemctl --user stop bridgekeep-agent, or send it SIGTERM.',
  )
}

/** Whether something accepts connections on `path` (a live agent), as opposed to a dead file. */
export async function agentAnswers(path: string): Promise<boolean> {
  return (await probe(path)) === 'answers'
}

/** `dead`: a file nobody listens on (a killed agent's socket, or not a socket at all). */
function probe(path: string): Promise<'answers' | 'absent' | 'dead'> {
  return new Promise((resolve) => {
    const socket = createConnection(path)
    socket.once('connect', () => {
      socket.destroy()
      resolve('answers')
    })
    socket.once('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'ENOENT' ? 'absent' : 'dead'),
    )
  })
}

/**
 * The socket's folder: created 0700, or an existing one of this user tightened to 0700. A symlink,
 * a file, or a folder of someone else is refused: the folder's permissions are the first thing
 * that keeps other users off the socket (the token, agent-token.ts, is the second).
 */
function ensureSocketFolder(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 })
  const stat = lstatSync(path)
  const fix = `Remove ${path}, or set BRIDGEKEEP_HOME to a folder of your own.`
  if (!stat.isDirectory())
    throw new BridgekeepError('VALIDATION', `The agent's folder ${path} is not a folder.`, fix)
  if (typeof process.getuid === 'function' && stat.uid !== process.getuid())
    throw new BridgekeepError(
      'VALIDATION',
      `The agent's folder ${path} belongs to another user.`,
      fix,
    )
  if ((stat.mode & 0o777) !== 0o700) chmodSync(path, 0o700)
}
