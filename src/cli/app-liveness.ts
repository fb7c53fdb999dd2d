import { connect } from 'node:net'

/**
 * Whether the app is open, as the CLI can tell: its control listener (where runners connect)
 * accepts connections at the endpoint the vault remembers. The runners table's connected_at is
 * what the app last wrote; after the app was killed (kill -9, a crash) nothing cleared it, so it
 * is current only while the app that wrote it still listens.
 */
export async function appListening(
  endpoint: { host: string; port: number } | undefined,
): Promise<boolean> {
  return endpoint ? accepts(endpoint.host, endpoint.port) : false
}

/** Whether something accepts TCP connections there (within half a second). */
function accepts(host: string, port: number): Promise<boolean> {
  const target = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host
  return new Promise((resolve) => {
    const socket = connect({ host: target, port, timeout: 500 })
    const done = (result: boolean) => {
      socket.destroy()
      resolve(result)
    }
    socket.once('connect', () => done(true))
    socket.once('timeout', () => done(false))
    socket.once('error', () => done(false))
  })
}
