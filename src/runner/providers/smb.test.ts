import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OperationInput } from '../../shared/operations'
import { canary, expectNoSecrets } from '../../../test/fixtures/canary'
import { blackHole, closedPort } from '../../../test/fixtures/loopback'
import { startSmbd } from '../../../test/fixtures/smbd'
import type { SmbdFixture } from '../../../test/fixtures/smbd'
import { smbOperations } from './smb'

const user = 'backup-svc'
const password = `${canary.alnum(20)} %${canary.alnum(6)}`
// smbd switches to the signed-in user's Unix account, so it needs root (test/fixtures/smbd.ts).
const canRunSmbd = process.getuid?.() === 0
let smbd: SmbdFixture | undefined

const input = (
  overrides: Partial<Record<'share' | 'domain' | 'username' | 'password' | 'port', string>> = {},
): OperationInput => {
  const { password: secret = password, ...config } = overrides
  return {
    provider: 'smb',
    authMode: 'inline',
    config: {
      host: '127.0.0.1',
      port: String(smbd?.port ?? 445),
      share: smbd?.share ?? 'files',
      username: user,
      ...config,
    },
    secrets: { password: secret },
  }
}

/** Runs `body` with PATH set to `path` (the runner finds smbclient through it). */
async function withPath<T>(path: string, body: () => Promise<T>): Promise<T> {
  const saved = process.env.PATH
  process.env.PATH = path
  try {
    return await body()
  } finally {
    process.env.PATH = saved
  }
}

describe.skipIf(!canRunSmbd)('smb verify against a real smbd', () => {
  let server: SmbdFixture
  beforeAll(async () => {
    smbd = server = await startSmbd({ user, password })
  })
  afterAll(async () => {
    await smbd?.close()
    smbd = undefined
  })

  it('signs in with the password and lists the share', async () => {
    const result = await smbOperations.verify(input())
    expect(result).toMatchObject({
      status: 'healthy',
      identity: {
        label: `${user} on //127.0.0.1/${server.share}`,
        details: { share: server.share, user, entries: String(server.files.length) },
      },
    })
    expectNoSecrets(result, [password])
  })

  it("with the domain (the server's workgroup)", async () => {
    const result = await smbOperations.verify(input({ domain: server.workgroup }))
    expect(result.status).toBe('healthy')
    expect(result.identity?.label).toBe(`${server.workgroup}\\${user} on //127.0.0.1/files`)
  })

  it('a wrong password is "Authentication failed", and neither password is in the result', async () => {
    const wrong = `${canary.alnum(20)}!`
    const result = await smbOperations.verify(input({ password: wrong }))
    expect(result.error?.class).toBe('authentication')
    expect(result.error?.message).toContain('NT_STATUS_LOGON_FAILURE')
    expect(result.error?.remedy).toContain('rotate this connection')
    expectNoSecrets(result, [password, wrong])
  })

  it('an unknown user is refused too', async () => {
    const result = await smbOperations.verify(input({ username: 'nobody-here' }))
    expect(result.error?.class).toBe('authentication')
  })

  it('a share that does not exist is the wrong target', async () => {
    const result = await smbOperations.verify(input({ share: 'nothing' }))
    expect(result.error?.class).toBe('wrong-target')
    expect(result.error?.message).toContain('has no share of that name')
  })

  it('a share the user may not use is a permission problem (signed in, then refused)', async () => {
    const result = await smbOperations.verify(input({ share: server.forbiddenShare }))
    expect(result.error?.class).toBe('permission')
    expect(result.error?.message).toContain('NT_STATUS_ACCESS_DENIED')
  })

  it('an unreachable server fails fast', async () => {
    const result = await smbOperations.verify(input({ port: String(await closedPort()) }))
    expect(result.error?.class).toBe('unreachable')
  })

  it('a server that never answers is unreachable within the time budget', async () => {
    const silent = await blackHole()
    try {
      const result = await smbOperations.verify({
        ...input({ port: String(silent.port) }),
        options: { timeoutMs: 1500 },
      })
      expect(result.error?.class).toBe('unreachable')
      expect(result.latencyMs).toBeLessThan(5000)
    } finally {
      await silent.close()
    }
  })
})

describe('smb verify: how smbclient is run', () => {
  it("the password goes through PASSWD only, never argv, and nothing else of the runner's environment", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bk-smbclient-probe-'))
    try {
      // A probe named smbclient: records what it was given, then fails like a refused login.
      const probe = join(dir, 'smbclient')
      writeFileSync(
        probe,
        `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/argv"\nenv > "${dir}/env"\necho 'session setup failed: NT_STATUS_LOGON_FAILURE'\nexit 1\n`,
      )
      chmodSync(probe, 0o755)
      process.env.USER_SECRET_PROBE = 'not-for-smbclient'
      const result = await withPath(`${dir}:/usr/bin:/bin`, () =>
        smbOperations.verify(input({ domain: 'CONTOSO' })),
      )
      delete process.env.USER_SECRET_PROBE
      expect(result.error?.class).toBe('authentication')
      const argv = readFileSync(join(dir, 'argv'), 'utf8').trim().split('\n')
      expect(argv).toEqual([
        '//127.0.0.1/files',
        '-p',
        '445',
        '-U',
        user,
        '-c',
        'ls',
        '-W',
        'CONTOSO',
      ])
      const env = readFileSync(join(dir, 'env'), 'utf8')
      expect(env).toContain(`PASSWD=${password}\n`)
      expect(env).toContain('KRB5CCNAME=MEMORY:')
      expect(env).not.toContain('USER_SECRET_PROBE')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('without smbclient installed, says what to install', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'bk-empty-path-'))
    try {
      const result = await withPath(empty, () => smbOperations.verify(input()))
      expect(result.error?.class).toBe('unsupported')
      expect(result.error?.remedy).toContain('apt-get install smbclient')
    } finally {
      rmSync(empty, { recursive: true, force: true })
    }
  })
})
