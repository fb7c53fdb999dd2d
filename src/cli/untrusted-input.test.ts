import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { DEFAULT_READ_LIMIT } from '../main/fs/bounded-read'
import { awsFiles, previewAwsProfile, readAwsProfiles } from '../main/services/imports/aws-profiles'
import { readKubeContexts } from '../main/services/imports/kube-contexts'
import {
  decryptAgeFile,
  encryptWithPassphrase,
  readAgeFile,
} from '../main/services/sharing/age-file'
import { openPayload } from '../main/services/sharing/payload'
import { parseEnrollment, readEnrollmentFile } from '../runner/enrollment'
import { validateConnectionValues } from '../shared/providers'
import { MAX_SHARE_FILE_BASE64 } from '../shared/sharing'
import { cliVault, privateKeyring, runCli as runCliProcess, SLOW } from '../../test/cli'
import { printedDuring, shownBy } from '../../test/printed'
import { runNode } from '../../test/run-node'
import type { CliIO } from './framework/io'
import { runCli } from './index'

// Parsers never pass on the text they choke on (it may be a secret), and
// no file or stream a user names is read without a bound.

const canary = () => `CANARY${randomBytes(10).toString('hex')}`
/** A GitHub token the catalog accepts: the secret of the connection files below. */
const githubToken = () => `ghp_${randomBytes(18).toString('hex')}`
const dir = mkdtempSync(join(tmpdir(), 'bk-untrusted-'))
const home = mkdtempSync(join(tmpdir(), 'bk-untrusted-home-'))

function file(name: string, content: string): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

/** What the user could see of a failure, '' when there was none. */
async function shown(run: () => unknown): Promise<string> {
  try {
    await run()
    return ''
  } catch (error) {
    return shownBy(error)
  }
}

afterEach(() => {
  vi.restoreAllMocks()
})
afterAll(() => {
  for (const folder of [dir, home]) rmSync(folder, { recursive: true, force: true })
})

/** Connection files that break a parser right at (or just around) the secret. */
function brokenConnectionFiles(secret: string): [string, string][] {
  return [
    ['tag.yaml', `name: a\nprovider: github\nvalues:\n  token: !secret ${secret}\n`],
    [
      'duplicate.yaml',
      `name: a\nprovider: github\nvalues:\n  token: ${secret}\n  token: ${secret}\n`,
    ],
    ['indent.yaml', `name: a\nprovider: github\nvalues:\n  token: ${secret}\n    x: ${secret}\n`],
    ['unclosed.yaml', `name: a\nprovider: github\nvalues: { token: "${secret}\n`],
    ['tab.yml', `name: a\nprovider: github\nvalues:\n\ttoken: ${secret}\n`],
    ['bare.json', `{"name": "a", "provider": "github", "values": {"token": ${secret}}}`],
    ['comma.json', `{"name": "a", "values": {"token": "${secret}" "x": 1}}`],
    ['cut.json', `{"name": "a", "values": {"token": "${secret}`],
  ]
}

describe('no parser passes on the text it reads (canary secrets in every parser path)', () => {
  it('YAML, JSON, kubeconfig, service account key, PEM: field problems only say where', async () => {
    const secret = canary()
    const kubeconfigs = [
      `apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: !secret ${secret}\n`,
      `apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: ${secret}\n    token: ${secret}\n`,
      `apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: ${secret}\n   bad: ${secret}\n`,
      `{"apiVersion": "v1", "kind": "Config", "users": [{"user": {"token": ${secret}}}]}`,
    ]
    const keys = [
      `{"type": "service_account", "private_key": ${secret}}`,
      `{"type": "service_account", "private_key": "${secret}`,
      btoa(`{"type": "service_account", "private_key": "${secret}" "x"}`),
    ]
    const pems = [
      `-----BEGIN CERTIFICATE-----\n${secret}!!\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\n${secret}\n-----END PRIVATE KEY-----`,
      `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${secret}\n-----END ENCRYPTED PRIVATE KEY-----`,
      `-----BEGIN CERTIFICATE-----\n${secret}`,
    ]
    const results: unknown[] = []
    const printed = await printedDuring(() => {
      for (const kubeconfig of kubeconfigs)
        results.push(
          validateConnectionValues('kubernetes', 'inline', { source: 'kubeconfig', kubeconfig }),
        )
      for (const key of keys)
        results.push(validateConnectionValues('gcp', 'inline', { service_account_key: key }))
      for (const pem of pems)
        results.push(validateConnectionValues('http', 'inline', { client_certificate: pem }))
    })
    const all = JSON.stringify(results)
    expect(all).toContain('is not valid YAML (line 7, column 5): a key appears twice') // a tag is fine
    expect(all).toContain('is not valid JSON')
    expect(all).toContain('PEM')
    expect(all).not.toContain(secret)
    expect(printed).not.toContain(secret)
  })

  it('runner credentials, ~/.aws INI files and kubeconfig imports', async () => {
    const secret = canary()
    const aws = file(
      'credentials',
      `[default]\naws_access_key_id = ${secret}\naws_secret_access_key ${secret}\n[${secret}\n  nested = ${secret}\n= ${secret}\n`,
    )
    const kube = file(
      'kubeconfig',
      `apiVersion: v1\nkind: Config\ncontexts:\n- name: c\n  context: {cluster: k, user: u}\nusers:\n- name: u\n  user:\n    token: ${secret}\n    token: ${secret}\n`,
    )
    const tagged = file(
      'kubeconfig-tag',
      `apiVersion: v1\nkind: Config\ncontexts:\n- name: c\n  context: {cluster: k, user: u}\nclusters:\n- name: k\n  cluster: {server: "https://k.example.com"}\nusers:\n- name: u\n  user:\n    token: !secret ${secret}\n`,
    )
    const runnerFile = file('runner.json', `{"apiKey": "${secret}", "privateKey": ${secret}}`)
    const seen: string[] = []
    const printed = await printedDuring(async () => {
      seen.push(await shown(() => parseEnrollment(`{"apiKey": "${secret}" "x": 1}`, 'stdin')))
      seen.push(await shown(() => parseEnrollment(`{"apiKey": "${secret}", "x": 1}`, 'stdin')))
      seen.push(await shown(() => readEnrollmentFile(runnerFile)))
      const profiles = readAwsProfiles(awsFiles(home, { AWS_SHARED_CREDENTIALS_FILE: aws }))
      seen.push(JSON.stringify(profiles?.map(previewAwsProfile)))
      seen.push(JSON.stringify(readKubeContexts(kube)))
      const [context] = readKubeContexts(tagged) ?? []
      // A custom tag is only a warning: the context imports, the token read as text.
      expect(context?.problem).toBeUndefined()
      expect(context?.values.kubeconfig).toContain(secret)
    })
    expect(seen.join('\n')).toContain('(line 1, column')
    expect(seen.join('\n')).toContain('is not valid YAML (line 10, column 5)')
    expect(seen.join('\n')).not.toContain(secret)
    expect(printed).not.toContain(secret)
  })

  it('age armor, age decryption and the share payload', async () => {
    const secret = canary()
    const passphrase = 'correct horse battery staple'
    const notJson = await encryptWithPassphrase(
      new TextEncoder().encode(`{"format": "bridgekeep-share", "secret": ${secret}`),
      passphrase,
      10,
    )
    const foreign = await encryptWithPassphrase(new TextEncoder().encode(secret), passphrase, 10)
    const seen: string[] = []
    const printed = await printedDuring(async () => {
      for (const plaintext of [notJson, foreign]) {
        seen.push(
          await shown(async () => {
            const file = await readAgeFile(plaintext)
            openPayload(await decryptAgeFile(file, { passphrase }))
          }),
        )
      }
      seen.push(
        await shown(() =>
          readAgeFile(
            `-----BEGIN AGE ENCRYPTED FILE-----\n${secret}\n-----END AGE ENCRYPTED FILE-----`,
          ),
        ),
      )
      seen.push(await shown(() => openPayload(new TextEncoder().encode(`{"a": "${secret}" x}`))))
    })
    expect(seen.every((message) => message.includes('Nothing was imported.'))).toBe(true)
    expect(seen.join('\n')).not.toContain(secret)
    expect(printed).not.toContain(secret)
  })

  it(
    'bridgekeep add --from-file (the real command) prints nothing of a broken file',
    SLOW,
    async () => {
      const secret = githubToken()
      const env = { BRIDGEKEEP_HOME: home }
      for (const [name, content] of brokenConnectionFiles(secret)) {
        const path = file(name, content)
        const { code, stdout, stderr } = await runCliProcess(['add', '--from-file', path], { env })
        expect(code, `${name}: ${stderr}`).toBe(1)
        // Node prints process warnings to stderr: yaml's `!secret` warning quoted the whole line.
        expect(stdout + stderr, name).not.toContain(secret)
        expect(stderr, name).not.toContain('Warning')
        expect(stderr, name).not.toContain('unexpected error')
        if (name !== 'tag.yaml') expect(stderr, name).toMatch(/is not valid (YAML|JSON)/)
      }
    },
  )
})

describe.skipIf(!privateKeyring)('with a vault (child processes)', SLOW, () => {
  it('adds a connection whose secret carries a YAML tag, printing none of it', async () => {
    const vault = await cliVault()
    const secret = githubToken()
    const path = file('tagged.yaml', brokenConnectionFiles(secret)[0]![1])
    const added = await vault.cli(['add', '--from-file', path])
    expect(added.stderr).not.toContain(secret)
    expect(added.stdout).not.toContain(secret)
    expect(added.code, added.stderr).toBe(0)
    const [connection] = vault.services.connections.list()
    expect(vault.services.connections.storedSecrets(connection!.id).secrets.token).toBe(secret)
  })

  it('share import of a damaged share prints nothing of its content', async () => {
    const vault = await cliVault()
    const secret = canary()
    const passphrase = 'correct horse battery staple'
    const share = join(dir, 'damaged.bkshare')
    const plaintext = new TextEncoder().encode(`{"secret": "${secret}" x`)
    writeFileSync(share, await encryptWithPassphrase(plaintext, passphrase, 10))
    const result = await vault.cli(['share', 'import', share, '--dry-run'], {
      env: { BRIDGEKEEP_SHARE_PASSPHRASE: passphrase },
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('not a Bridgekeep share')
    expect(result.stdout + result.stderr).not.toContain(secret)
  })
})

/** The CLI in this process (the same code path as the command), with output collected. */
async function inProcess(argv: string[], stdin: Readable = Readable.from([])) {
  let stdout = ''
  let stderr = ''
  const io: CliIO = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: stdin as unknown as CliIO['stdin'],
    env: { BRIDGEKEEP_HOME: home, HOME: home },
    cwd: dir,
  }
  const code = await runCli(argv, io)
  return { code, stdout, stderr }
}

const endless = () =>
  Readable.from(
    (function* () {
      for (;;) yield Buffer.alloc(256 * 1024)
    })(),
  )

/** A sparse file one byte over `limit`: it takes no room on disk. */
function oversized(name: string, limit: number): string {
  const path = file(name, '')
  truncateSync(path, limit + 1)
  return path
}

describe('every file and stream a user names is read with a bound', () => {
  const MAX_SHARE_BYTES = (MAX_SHARE_FILE_BASE64 / 4) * 3
  const folder = join(dir, 'a-folder')
  mkdirSync(folder, { recursive: true })
  const big = oversized('big', DEFAULT_READ_LIMIT)
  const bigShare = oversized('big.bkshare', MAX_SHARE_BYTES)
  const bigCredentials = oversized('big-runner.json', 1024 * 1024)

  const TOO_LARGE = /is larger than \d+ MiB: not a/
  const DIRECTORY = /is a directory, not a/
  const cases: [string, string[], RegExp][] = [
    ['add --from-file /dev/zero', ['add', '--from-file', '/dev/zero'], TOO_LARGE],
    ['add --from-file <17 MiB>', ['add', '--from-file', big], TOO_LARGE],
    ['add --from-file <dir>', ['add', '--from-file', folder], DIRECTORY],
    [
      '--field token=@/dev/zero',
      ['add', 'github', '--name', 'g', '--field', 'token=@/dev/zero'],
      TOO_LARGE,
    ],
    [
      '--field token=@<17 MiB>',
      ['add', 'github', '--name', 'g', '--field', `token=@${big}`],
      TOO_LARGE,
    ],
    [
      '--field token=@<dir>',
      ['add', 'github', '--name', 'g', '--field', `token=@${folder}`],
      DIRECTORY,
    ],
    ['runner start /dev/zero', ['runner', 'start', '--credentials', '/dev/zero'], TOO_LARGE],
    ['runner start <1 MiB+>', ['runner', 'start', '--credentials', bigCredentials], TOO_LARGE],
    ['runner start <dir>', ['runner', 'start', '--credentials', folder], DIRECTORY],
    ['share import /dev/zero', ['share', 'import', '/dev/zero'], TOO_LARGE],
    ['share import <48 MiB+>', ['share', 'import', bigShare], TOO_LARGE],
    ['share import <dir>', ['share', 'import', folder], DIRECTORY],
  ]

  it.each(cases)('%s: exit 1 with a clear message', async (_name, argv, message) => {
    const started = performance.now()
    const result = await inProcess(argv)
    expect(result.stderr).toMatch(message)
    expect(result.stderr).not.toContain('unexpected error')
    expect(result.code).toBe(1)
    expect(performance.now() - started).toBeLessThan(10_000)
  })

  it.each([
    ['--field token=@-', ['add', 'github', '--name', 'g', '--field', 'token=@-']],
    ['share import -', ['share', 'import', '-']],
  ])('%s with endless stdin: exit 1, stopped at the limit', async (_name, argv) => {
    const result = await inProcess(argv, endless())
    expect(result.stderr).toMatch(/^bridgekeep: (stdin|The share on stdin) is larger than \d+ MiB/)
    expect(result.code).toBe(1)
  })

  it('the runner program itself refuses /dev/zero and a folder as credentials', () => {
    for (const [path, message] of [
      ['/dev/zero', TOO_LARGE],
      [folder, DIRECTORY],
    ] as const) {
      const result = runNode('src/runner/index.ts', ['--credentials', path])
      expect(result.stderr).toMatch(message)
      expect(result.code).toBe(1)
    }
  })

  it('the app’s imports refuse /dev/zero and folders as ~/.aws/credentials and kubeconfig', () => {
    for (const path of ['/dev/zero', folder]) {
      expect(() => readAwsProfiles(awsFiles(home, { AWS_SHARED_CREDENTIALS_FILE: path }))).toThrow(
        /is larger than 16 MiB: not an AWS credentials file|is a directory, not an AWS credentials file/,
      )
      expect(() => readKubeContexts(path)).toThrow(
        /is larger than 16 MiB: not a kubeconfig|is a directory, not a kubeconfig/,
      )
    }
    // Missing files still mean "nothing to import", as before.
    expect(readKubeContexts(join(dir, 'none'))).toBeUndefined()
  })

  it('bridgekeep add --from-file /dev/zero as a real process: quick, exit 1', SLOW, async () => {
    const result = await runCliProcess(['add', '--from-file', '/dev/zero'], {
      env: { BRIDGEKEEP_HOME: home },
      timeoutMs: 20_000,
    })
    expect(result.stderr).toBe(
      'bridgekeep: /dev/zero is larger than 16 MiB: not a connection file. Check the path.\n',
    )
    expect(result.code).toBe(1)
  })
})
