import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { generateKey } from './envelope'
import { KEYCHAIN_SERVICE, MemoryKeyStore, createOsKeyStore } from './keystore'

const ROOT = resolve(__dirname, '../../..')
const PROBE = resolve(__dirname, 'test-support/keystore-probe.ts')

describe('MemoryKeyStore', () => {
  it('writes, reads and removes copies of keys', async () => {
    const store = new MemoryKeyStore()
    const key = generateKey()
    expect(store.kind).toBe('memory')
    expect(await store.read('a')).toBeNull()
    await store.write('a', key)
    const read = await store.read('a')
    expect(read?.equals(key)).toBe(true)
    read?.fill(0)
    expect((await store.read('a'))?.equals(key)).toBe(true)
    await store.remove('a')
    await store.remove('a')
    expect(await store.read('a')).toBeNull()
  })

  it('can fail like a locked or unreachable keychain', async () => {
    const store = new MemoryKeyStore()
    store.failWith('locked')
    await expect(store.read('a')).rejects.toMatchObject({ code: 'KEYCHAIN_LOCKED' })
    store.failWith('unavailable')
    await expect(store.write('a', generateKey())).rejects.toMatchObject({
      code: 'KEYCHAIN_UNAVAILABLE',
    })
    store.failWith(null)
    expect(await store.read('a')).toBeNull()
  })
})

it('uses dev.bridgekeep.vault as the default service', () => {
  expect(KEYCHAIN_SERVICE).toBe('dev.bridgekeep.vault')
})

// The real Secret Service, only inside the private session of scripts/with-secret-service.sh:
// these tests write to, lock and break keyrings, which must never be the user's own.
const privateKeyring = process.env.BRIDGEKEEP_SECRET_SERVICE === 'private'
const SUITE = privateKeyring
  ? 'OS keystore on the real Secret Service (private keyring)'
  : 'OS keystore on the real Secret Service: skipped, needs the private keyring of ' +
    'scripts/with-secret-service.sh (BRIDGEKEEP_SECRET_SERVICE=private)'

// A service name of its own per run, so parallel runs and other test files never collide.
const SERVICE = `${KEYCHAIN_SERVICE}.test-${randomUUID().slice(0, 8)}`

describe.skipIf(!privateKeyring)(SUITE, () => {
  const store = createOsKeyStore(SERVICE)

  afterAll(async () => {
    for (const account of ['round-trip', 'overwrite', 'visible', 'damaged']) {
      await store.remove(account)
    }
  })

  it('is the Secret Service on Linux', () => {
    expect(store.kind).toBe('secret-service')
  })

  it('writes, reads and removes a key', async () => {
    const key = generateKey()
    await store.write('round-trip', key)
    expect((await store.read('round-trip'))?.equals(key)).toBe(true)
    await store.remove('round-trip')
    expect(await store.read('round-trip')).toBeNull()
  })

  it('reads a missing item as null and removes it without error', async () => {
    expect(await store.read('never-written')).toBeNull()
    await expect(store.remove('never-written')).resolves.toBeUndefined()
  })

  it('overwrites an existing item', async () => {
    await store.write('overwrite', generateKey())
    const second = generateKey()
    await store.write('overwrite', second)
    expect((await store.read('overwrite'))?.equals(second)).toBe(true)
  })

  it('stores base64 text that secret-tool can see under the service name', async () => {
    const key = generateKey()
    await store.write('visible', key)
    const search = secretTool(['search', '--all', 'service', SERVICE])
    expect(search).toContain(`secret = ${key.toString('base64')}`)
    expect(search).toContain(`attribute.service = ${SERVICE}`)
    expect(search).toContain('attribute.username = visible')
    expect(await createOsKeyStore(`${SERVICE}.other`).read('visible')).toBeNull()
  })

  it('treats an item that is not a key as missing (KEYCHAIN_ITEM_MISSING)', async () => {
    secretTool(['store', '--label=damaged', 'service', SERVICE, 'username', 'damaged'], '%%%')
    await expect(store.read('damaged')).rejects.toMatchObject({ code: 'KEYCHAIN_ITEM_MISSING' })
  })

  // The failure modes below each need a process started in a different environment: libdbus
  // picks the session bus from the environment, and the native code would not see a change to
  // process.env made inside a Vitest worker. So each runs the keystore in a child process
  // (test-support/keystore-probe.ts), with HOME and XDG_RUNTIME_DIR in a throwaway directory.

  it('reports no D-Bus session as KEYCHAIN_UNAVAILABLE, without a keyutils fallback', () => {
    const results = probe(isolatedEnv({}), ['read:a', `write:a:${b64()}`, 'remove:a'])
    for (const result of results) expectUnavailable(result, /no D-Bus session/)
  })

  it('shows what the Secret Service pin prevents: unpinned, the library tries keyutils', () => {
    // Same environment without the pin: the library does not report the missing D-Bus session
    // but goes to the kernel keyring (stores there, or is refused by a container's seccomp).
    const [unpinned] = probe(isolatedEnv({}), ['unpinned:fallback-check'])
    if (unpinned?.ok) expect(unpinned.value).toBe('stored-without-secret-service')
    else expect(unpinned?.error.message).not.toMatch(/DBus|D-Bus/i)
  })

  it('reports a dead D-Bus address as KEYCHAIN_UNAVAILABLE', () => {
    const dir = tempDir()
    const env = isolatedEnv({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'no-such-bus')}` })
    for (const result of probe(env, ['read:a', `write:a:${b64()}`])) {
      expectUnavailable(result, /no D-Bus session/)
    }
  })

  it('reports a session bus without a Secret Service as KEYCHAIN_UNAVAILABLE', () => {
    // A bus whose only service directory is empty: nothing owns or can activate
    // org.freedesktop.secrets, as on a desktop without GNOME Keyring or KWallet.
    const dir = tempDir()
    mkdirSync(join(dir, 'services'))
    writeFileSync(join(dir, 'bus.conf'), busConfig(dir))
    const results = probeIn(
      ['dbus-run-session', `--config-file=${join(dir, 'bus.conf')}`, '--'],
      isolatedEnv({}, dir),
      ['read:a', `write:a:${b64()}`, 'remove:a'],
    )
    for (const result of results) expectUnavailable(result, /no Secret Service/)
  })

  it('reports a keyring with no default collection: read is null, write says what to do', () => {
    // A fresh keyring daemon (D-Bus-activated) that was never unlocked has no login collection.
    const results = probeIn(['dbus-run-session', '--'], isolatedEnv({}), [
      'read:a',
      `write:a:${b64()}`,
      'remove:a',
    ])
    expect(results[0]).toEqual({ ok: true, value: null })
    expectUnavailable(results[1], /no default collection/)
    expect(results[2]).toEqual({ ok: true, value: null })
  })

  it('reports a locked keyring as KEYCHAIN_LOCKED', () => {
    // A second private session (the wrapper script again, forced past its nesting check): store
    // an item, lock the login collection over D-Bus, then try again. Nobody can answer the unlock
    // prompt without a display, which is what a dismissed prompt looks like.
    const key = b64()
    const script = [
      `"$PROBE_NODE" --import tsx "$PROBE" "$PROBE_SERVICE" write:a:${key}`,
      'dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets' +
        ' org.freedesktop.Secret.Service.Lock' +
        ' array:objpath:/org/freedesktop/secrets/collection/login >/dev/null',
      `"$PROBE_NODE" --import tsx "$PROBE" "$PROBE_SERVICE" read:a write:b:${key} remove:a read:b`,
    ].join(' && ')
    const env = { ...isolatedEnv({}), ...probeEnv() }
    delete env.BRIDGEKEEP_SECRET_SERVICE
    const [written, read, write, remove, missing] = run(
      ['bash', join(ROOT, 'scripts/with-secret-service.sh'), 'sh', '-c', script],
      env,
    )
    expect(written).toEqual({ ok: true, value: null })
    for (const result of [read, write, remove]) {
      expect(result).toMatchObject({
        ok: false,
        error: {
          code: 'KEYCHAIN_LOCKED',
          hint: 'Unlock your keyring and try again, or use your recovery key.',
        },
      })
    }
    // No matching item means nothing to unlock: still just "missing".
    expect(missing).toEqual({ ok: true, value: null })
  })
})

type ProbeResult =
  | { ok: true; value: unknown }
  | { ok: false; error: { code: string; message: string; hint?: string } }

const tempDirs: string[] = []
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bk-keystore-'))
  tempDirs.push(dir)
  return dir
}

function b64(): string {
  return generateKey().toString('base64')
}

/**
 * The current environment minus everything that leads to a keyring: no session bus, and HOME,
 * XDG_RUNTIME_DIR pointing into a throwaway directory (libdbus also looks for
 * $XDG_RUNTIME_DIR/bus, and an activated keyring daemon keeps its files under HOME).
 */
function isolatedEnv(extra: Record<string, string>, dir = tempDir()): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir, XDG_RUNTIME_DIR: join(dir, 'run') }
  mkdirSync(join(dir, 'run'), { recursive: true, mode: 0o700 })
  for (const name of [
    'DBUS_SESSION_BUS_ADDRESS',
    'GNOME_KEYRING_CONTROL',
    'GNOME_KEYRING_PID',
    'XDG_DATA_HOME',
  ]) {
    delete env[name]
  }
  return { ...env, ...extra }
}

function probeEnv(): Record<string, string> {
  return { PROBE_NODE: process.execPath, PROBE, PROBE_SERVICE: SERVICE }
}

function probe(env: NodeJS.ProcessEnv, steps: string[]): ProbeResult[] {
  return run([process.execPath, '--import', 'tsx', PROBE, SERVICE, ...steps], env)
}

function probeIn(prefix: string[], env: NodeJS.ProcessEnv, steps: string[]): ProbeResult[] {
  return run([...prefix, process.execPath, '--import', 'tsx', PROBE, SERVICE, ...steps], env)
}

function run([command = '', ...args]: string[], env: NodeJS.ProcessEnv): ProbeResult[] {
  const result = spawnSync(command, args, { cwd: ROOT, env, encoding: 'utf8', timeout: 30_000 })
  const lines = result.stdout.split('\n').filter((line) => line.startsWith('{'))
  if (lines.length === 0) {
    throw new Error(`${command} printed no results (status ${result.status}):\n${result.stderr}`)
  }
  return lines.map((line) => JSON.parse(line) as ProbeResult)
}

function expectUnavailable(result: ProbeResult | undefined, message: RegExp): void {
  expect(result?.ok).toBe(false)
  if (result?.ok !== false) return
  expect(result.error.code).toBe('KEYCHAIN_UNAVAILABLE')
  expect(result.error.message).toMatch(message)
  expect(result.error.hint).toMatch(/recovery key.*passphrase mode/)
}

function secretTool(args: string[], input?: string): string {
  const result = spawnSync('secret-tool', args, { encoding: 'utf8', input, timeout: 10_000 })
  if (result.status !== 0) throw new Error(`secret-tool ${args[0]} failed: ${result.stderr}`)
  // search prints the attributes on stderr and the rest on stdout.
  return `${result.stdout}\n${result.stderr}`
}

function busConfig(dir: string): string {
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${join(dir, 'run')}</listen>
  <auth>EXTERNAL</auth>
  <servicedir>${join(dir, 'services')}</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`
}
