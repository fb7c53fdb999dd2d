import { spawn, spawnSync, type ChildProcess } from 'node:child_process'

/**
 * What the CLI bench measures Bridgekeep against and through: a running `bridgekeep agent`, and
 * `secret-tool lookup` of one secret in the same Secret Service (the floor a credential_process
 * helper could reach by keeping secrets in the keyring itself).
 */

/** Starts `bridgekeep agent` (the built CLI) and resolves once it serves; `stop` ends it. */
export function startAgent(
  cli: string,
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [cli, 'agent'], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  const stop = async () => {
    child.kill('SIGTERM')
    await exited
  }
  let output = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the agent did not start: ${output}`)), 30_000)
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk
      if (output.includes('bridgekeep agent: serving')) {
        clearTimeout(timer)
        resolve({ child, stop })
      }
    })
    void exited.then(() => {
      clearTimeout(timer)
      reject(new Error(`the agent exited: ${output}`))
    })
  })
}

/** Stores one random secret with secret-tool; returns the lookup's attributes. */
export function storeSecretToolItem(env: NodeJS.ProcessEnv): string[] {
  const attributes = ['service', 'bridgekeep-bench', 'account', `peer-${process.pid}`]
  const stored = spawnSync(
    'secret-tool',
    ['store', '--label=bridgekeep bench peer', ...attributes],
    { env, input: `peer-secret-${Date.now()}`, stdio: ['pipe', 'ignore', 'pipe'] },
  )
  if (stored.status !== 0)
    throw new Error(`secret-tool store failed: ${stored.stderr?.toString() ?? stored.error}`)
  return attributes
}
