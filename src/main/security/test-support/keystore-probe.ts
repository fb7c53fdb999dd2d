/**
 * Runs keystore operations in a process of its own, for the tests of keychain failures: the D-Bus
 * session is chosen from the environment when the process connects, so each failure mode (no
 * session, no Secret Service, a locked keyring) needs a process started in that environment.
 *
 *   node --import tsx keystore-probe.ts <service> <step>...
 *   step: read:<account> | write:<account>:<base64 key> | remove:<account> | unpinned:<account>
 *
 * Prints one JSON line per step: { ok: true, value } or { ok: false, error }.
 * `unpinned` writes (then deletes) through the library's default store selection, without the
 * Secret Service pin, to show what the pin prevents.
 */
import { Entry } from '@napi-rs/keyring'
import { isBridgekeepError } from '../../../shared/errors'
import { createOsKeyStore } from '../keystore'

async function step(service: string, spec: string): Promise<unknown> {
  const [op, account = '', value = ''] = spec.split(':')
  const store = createOsKeyStore(service)
  switch (op) {
    case 'read':
      return (await store.read(account))?.toString('base64') ?? null
    case 'write':
      return store.write(account, Buffer.from(value, 'base64'))
    case 'remove':
      return store.remove(account)
    case 'unpinned': {
      const entry = new Entry(service, account)
      entry.setPassword('probe')
      entry.deleteCredential()
      return 'stored-without-secret-service'
    }
    default:
      throw new Error(`unknown step ${spec}`)
  }
}

async function main(): Promise<void> {
  const [service = '', ...steps] = process.argv.slice(2)
  for (const spec of steps) {
    try {
      const value = await step(service, spec)
      process.stdout.write(`${JSON.stringify({ ok: true, value: value ?? null })}\n`)
    } catch (error) {
      const shape = isBridgekeepError(error)
        ? error.toShape()
        : { code: 'RAW', message: error instanceof Error ? error.message : String(error) }
      process.stdout.write(`${JSON.stringify({ ok: false, error: shape })}\n`)
    }
  }
}

void main()
