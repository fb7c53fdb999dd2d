import { generateKeyPairSync } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OperationInput } from '../../shared/operations'
import { validateConnectionValues } from '../../shared/providers'
import { canary, expectNoSecrets } from '../../../test/fixtures/canary'
import { blackHole, closedPort } from '../../../test/fixtures/loopback'
import { startSftpServer } from '../../../test/fixtures/sftp-server'
import type { SftpServerFixture } from '../../../test/fixtures/sftp-server'
import { sshKeygen, startSshd } from '../../../test/fixtures/sshd'
import type { KeyPair, SshdFixture } from '../../../test/fixtures/sshd'
import { sftpOperations } from './sftp'

const passphrase = `${canary.alnum(16)} ${canary.alnum(4)}`
let plain: KeyPair
let protectedKey: KeyPair
let pkcs8: KeyPair
let legacyPem: KeyPair
let pkcs8Encrypted: KeyPair
let stranger: KeyPair
let sshd: SshdFixture

beforeAll(async () => {
  plain = sshKeygen()
  protectedKey = sshKeygen({ passphrase })
  pkcs8 = sshKeygen({ type: 'rsa', format: 'PKCS8' })
  legacyPem = sshKeygen({ type: 'ecdsa', format: 'PEM', passphrase })
  pkcs8Encrypted = sshKeygen({ type: 'rsa', format: 'PKCS8', passphrase })
  stranger = sshKeygen()
  sshd = await startSshd({
    authorizedKeys: [plain, protectedKey, pkcs8, legacyPem, pkcs8Encrypted].map(
      (pair) => pair.publicKey,
    ),
  })
})
afterAll(async () => {
  await sshd?.close()
})

function keyInput(
  key: string,
  overrides: { passphrase?: string; fingerprint?: string; path?: string; port?: number } = {},
): OperationInput {
  return {
    provider: 'sftp',
    authMode: 'inline',
    config: {
      host: '127.0.0.1',
      port: String(overrides.port ?? sshd.port),
      username: sshd.user,
      auth: 'key',
      host_key_fingerprint: overrides.fingerprint ?? sshd.hostKeyFingerprint,
      remote_path: overrides.path ?? sshd.directory,
    },
    secrets: {
      private_key: key,
      ...(overrides.passphrase === undefined ? {} : { passphrase: overrides.passphrase }),
    },
  }
}

describe('sftp verify against a real sshd (key sign-in)', () => {
  it('checks the host key, signs in with the key and lists the remote path', async () => {
    const result = await sftpOperations.verify(keyInput(plain.privateKey))
    expect(result).toMatchObject({
      status: 'healthy',
      identity: {
        label: `${sshd.user}@127.0.0.1:${sshd.port}`,
        details: {
          directory: sshd.directory,
          entries: String(sshd.files.length),
          hostKey: sshd.hostKeyFingerprint,
        },
      },
    })
    expect(sshd.log()).toMatch(/Accepted publickey for \S+ from 127\.0\.0\.1/)
  })

  it('a key protected by a passphrase signs in with it; a wrong one is said before connecting', async () => {
    const good = await sftpOperations.verify(keyInput(protectedKey.privateKey, { passphrase }))
    expect(good.status).toBe('healthy')
    const wrong = `${canary.alnum(16)}x`
    const bad = await sftpOperations.verify(
      keyInput(protectedKey.privateKey, { passphrase: wrong }),
    )
    expect(bad.error?.class).toBe('authentication')
    expect(bad.error?.message).toContain('passphrase is wrong')
    expectNoSecrets([good, bad], [passphrase, wrong, protectedKey.privateKey])
  })

  it('a PKCS#8 RSA key (as openssl writes them) is rewritten in memory and signs in', async () => {
    expect(pkcs8.privateKey).toContain('BEGIN PRIVATE KEY')
    const result = await sftpOperations.verify(keyInput(pkcs8.privateKey))
    expect(result.status).toBe('healthy')
  })

  it('a PKCS#8 Ed25519 key (openssl genpkey) is refused with how to convert it', async () => {
    const key = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' })
    const result = await sftpOperations.verify(keyInput(key.toString()))
    expect(result.error?.class).toBe('invalid-config')
    expect(result.error?.remedy).toContain('ssh-keygen -p -f')
  })

  it('encrypted legacy PEM and PKCS#8 keys sign in with their passphrase', async () => {
    expect(legacyPem.privateKey).toContain('Proc-Type: 4,ENCRYPTED')
    expect(pkcs8Encrypted.privateKey).toContain('BEGIN ENCRYPTED PRIVATE KEY')
    for (const key of [legacyPem, pkcs8Encrypted]) {
      const good = await sftpOperations.verify(keyInput(key.privateKey, { passphrase }))
      expect(good.status, good.error?.message).toBe('healthy')
      const bad = await sftpOperations.verify(keyInput(key.privateKey, { passphrase: 'nope' }))
      expect(bad.error?.message).toContain('passphrase is wrong')
    }
  })

  it("the catalog reads ssh-keygen's real keys and knows which need a passphrase", () => {
    const values = (key: string, extra: Record<string, string> = {}) => ({
      ...keyInput(key).config,
      private_key: key,
      ...extra,
    })
    for (const key of [protectedKey, legacyPem, pkcs8Encrypted]) {
      const missing = validateConnectionValues('sftp', 'inline', values(key.privateKey))
      expect(!missing.ok && missing.issues.map((issue) => issue.field)).toEqual(['passphrase'])
      expect(
        validateConnectionValues('sftp', 'inline', values(key.privateKey, { passphrase })).ok,
      ).toBe(true)
    }
    for (const key of [plain, pkcs8])
      expect(validateConnectionValues('sftp', 'inline', values(key.privateKey)).ok).toBe(true)
  })

  it('a key the server does not know is refused, with what to check', async () => {
    const before = sshd.log().length
    const result = await sftpOperations.verify(keyInput(stranger.privateKey))
    expect(result.error?.class).toBe('authentication')
    expect(result.error?.message).toContain(`refused the private key for user "${sshd.user}"`)
    expect(result.error?.remedy).toContain('authorized_keys')
    expect(sshd.log().slice(before)).not.toContain('Accepted publickey')
  })

  it('a host key that does not match the pin: refused before signing in, naming both fingerprints', async () => {
    const pinned = `SHA256:${'A'.repeat(43)}`
    const before = sshd.log().length
    const result = await sftpOperations.verify(keyInput(plain.privateKey, { fingerprint: pinned }))
    expect(result.error?.class).toBe('wrong-target')
    expect(result.error?.message).toContain(`presented the host key ${sshd.hostKeyFingerprint}`)
    expect(result.error?.message).toContain(`not ${pinned}`)
    expect(result.error?.message).toContain('no credentials were sent')
    // sshd saw no key offered at all: the connection ended during the key exchange.
    // sshd logs as it goes, another process: waited for (the default 1 s is short under load).
    await expect
      .poll(() => sshd.log().slice(before), { timeout: 15_000 })
      .toContain('Connection from 127.0.0.1')
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(sshd.log().slice(before)).not.toMatch(/publickey|Postponed|Failed/)
  })

  it('a remote path that does not exist is the wrong target, after signing in', async () => {
    const result = await sftpOperations.verify(
      keyInput(plain.privateKey, { path: `${sshd.directory}/missing` }),
    )
    expect(result.error?.class).toBe('wrong-target')
    expect(result.error?.message).toContain('no directory')
  })

  it('an unreachable server fails fast', async () => {
    const result = await sftpOperations.verify(
      keyInput(plain.privateKey, { port: await closedPort() }),
    )
    expect(result.error?.class).toBe('unreachable')
  })

  it('a server that never answers is unreachable within the time budget', async () => {
    const silent = await blackHole()
    try {
      const result = await sftpOperations.verify({
        ...keyInput(plain.privateKey, { port: silent.port }),
        options: { timeoutMs: 1500 },
      })
      expect(result.error?.class).toBe('unreachable')
      expect(result.latencyMs).toBeLessThan(5000)
    } finally {
      await silent.close()
    }
  })
})

describe('sftp verify with a password (an ssh2 server that checks it)', () => {
  const user = 'deploy'
  const password = `${canary.alnum(20)} !${canary.alnum(6)}`
  let server: SftpServerFixture

  beforeAll(async () => {
    server = await startSftpServer({
      user,
      password,
      home: '/home/deploy',
      files: ['a.txt', 'b.txt'],
    })
  })
  afterAll(async () => {
    await server?.close()
  })

  const input = (secret: string, fingerprint = server.hostKeyFingerprint): OperationInput => ({
    provider: 'sftp',
    authMode: 'inline',
    config: {
      host: '127.0.0.1',
      port: String(server.port),
      username: user,
      auth: 'password',
      host_key_fingerprint: fingerprint,
    },
    secrets: { password: secret },
  })

  it('signs in with the password only (never "none") and lists the start directory', async () => {
    server.attempts.length = 0
    const result = await sftpOperations.verify(input(password))
    expect(result).toMatchObject({
      status: 'healthy',
      identity: { details: { directory: '/home/deploy', entries: '2' } },
    })
    expect(server.attempts).toEqual([`password:${user}+`])
    expectNoSecrets(result, [password])
  })

  it('a wrong password is "Authentication failed", and neither password is in the result', async () => {
    const wrong = `${canary.alnum(20)}!`
    const result = await sftpOperations.verify(input(wrong))
    expect(result.error?.class).toBe('authentication')
    expect(result.error?.message).toContain(`refused the password for user "${user}"`)
    expectNoSecrets(result, [password, wrong])
  })

  it('a server that asks through keyboard-interactive gets the password for its hidden prompt only', async () => {
    const pam = await startSftpServer({
      user,
      password,
      home: '/srv',
      files: ['x'],
      method: 'keyboard-interactive',
    })
    try {
      const pinned = input(password, pam.hostKeyFingerprint)
      const result = await sftpOperations.verify({
        ...pinned,
        config: { ...pinned.config, port: String(pam.port) },
      })
      expect(result.status).toBe('healthy')
      expect(pam.attempts).toEqual([`password:${user}`, `keyboard-interactive:${user}+`])
    } finally {
      await pam.close()
    }
  })

  it('a host key that does not match: the password never reaches the server', async () => {
    server.attempts.length = 0
    const result = await sftpOperations.verify(input(password, `SHA256:${'B'.repeat(43)}`))
    expect(result.error?.class).toBe('wrong-target')
    expect(result.error?.message).toContain(server.hostKeyFingerprint)
    expect(server.attempts).toEqual([])
    expectNoSecrets(result, [password])
  })
})
