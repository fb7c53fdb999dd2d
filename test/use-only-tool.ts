import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Services } from '../src/main/services'

/**
 * A tool for `bridgekeep exec` that writes its pid to `dir/pid`, waits for `dir/release`, then
 * prints its environment and what it could read of exec's making: every regular file (up to 1 MiB)
 * an environment value names, and everything under exec's folders for credential files
 * ($XDG_RUNTIME_DIR/bridgekeep, or the temp dir's bridgekeep-<uid>; see temp-files.ts). A test can
 * look at the live process (/proc/<pid>/environ) meanwhile.
 */
export function writeDumpTool(dir: string): string {
  const script = join(dir, 'dump-tool.cjs')
  writeFileSync(
    script,
    `const fs = require('node:fs'), os = require('node:os'), path = require('node:path')
fs.writeFileSync(${JSON.stringify(join(dir, 'pid'))}, String(process.pid))
const started = Date.now()
const files = {}
const read = (p, deep) => {
  try {
    const stat = fs.statSync(p)
    // Credential files are small; a binary named by the environment (NODE=/usr/bin/node under
    // npm) read as text and echoed in JSON takes half a minute on a busy machine.
    if (stat.isFile() && stat.size <= 1048576) files[p] = fs.readFileSync(p, 'utf8')
    else if (deep && stat.isDirectory()) for (const f of fs.readdirSync(p)) read(path.join(p, f), true)
  } catch {}
}
const wait = () => {
  if (!fs.existsSync(${JSON.stringify(join(dir, 'release'))}) && Date.now() - started < 20000)
    return setTimeout(wait, 20)
  for (const value of Object.values(process.env)) if (value && path.isAbsolute(value)) read(value, false)
  if (process.env.XDG_RUNTIME_DIR) read(path.join(process.env.XDG_RUNTIME_DIR, 'bridgekeep'), true)
  read(path.join(os.tmpdir(), 'bridgekeep-' + process.getuid()), true)
  process.stdout.write(JSON.stringify({ env: process.env, files }))
}
wait()
`,
  )
  return script
}

/** Waits for the dump tool's pid, reads its live environment, then lets it finish. */
export async function liveEnviron(dir: string): Promise<string> {
  const pidFile = join(dir, 'pid')
  for (let i = 0; i < 1000 && !existsSync(pidFile); i++)
    await new Promise((resolve) => setTimeout(resolve, 20))
  const pid = readFileSync(pidFile, 'utf8')
  const environ = readFileSync(`/proc/${pid}/environ`, 'utf8')
  writeFileSync(join(dir, 'release'), '')
  return environ.split('\0').join('\n')
}

/**
 * Every file under `dir`, as text (the vault's own files hold secrets sealed, never in clear).
 * Read by another process: closing any descriptor of vault.db in this one would drop the POSIX
 * locks of this process's open SQLite connection, and the next CLI to close would then take
 * itself for the last connection, checkpoint and reset the WAL under it (this process's reads
 * then miss what the CLI wrote since).
 */
export function filesUnder(dir: string): string {
  const script = `const fs = require('node:fs'), path = require('node:path')
const walk = (d) => fs.readdirSync(d).map((name) => {
  const p = path.join(d, name), stat = fs.statSync(p)
  return stat.isDirectory() ? walk(p) : stat.isFile() ? fs.readFileSync(p, 'latin1') : ''
}).join('\\n')
process.stdout.write(walk(process.argv[1]))`
  return execFileSync(process.execPath, ['-e', script, dir], {
    encoding: 'latin1',
    maxBuffer: 256 * 1024 * 1024,
  })
}

/** A (an unlocked vault) shares its connection use-only with B (the CLI's vault), B imports it. */
export async function shareUseOnly(
  a: Services,
  b: Services,
  connection: { name: string; provider: string; authMode: string; values: Record<string, string> },
): Promise<string> {
  await a.sharing.setName({ name: 'Alice' })
  await b.sharing.setName({ name: 'Bob' })
  const bInA = (
    await a.sharing.addContact({ name: 'Bob', address: (await b.sharing.identity()).address })
  ).id
  await b.sharing.addContact({ name: 'Alice', address: (await a.sharing.identity()).address })
  const created = a.connections.create(connection)
  const share = await a.sharing.export({
    connectionIds: [created.id],
    to: { kind: 'contacts', contactIds: [bInA] },
    environments: ['staging'],
    useOnly: true,
  })
  const imported = await b.sharing.importApply({
    source: { data: share.bytes },
    shareId: share.shareId,
  })
  return imported.created[0]!.id
}

const upper = (n: number) =>
  Array.from(randomBytes(n), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b % 32]).join('')

/** A stored AWS long-term key made of random canaries, as the loopback STS knows an identity. */
export function canaryAwsKey(userId: string) {
  return {
    accessKeyId: `AKIA${upper(16)}`,
    secretAccessKey: randomBytes(30).toString('base64').replace(/[+/=]/g, 'x').slice(0, 40),
    account: '123456789012',
    arn: 'arn:aws:iam::123456789012:user/alice',
    userId,
  }
}

/** What keeps the AWS SDK and CLI off the instance metadata service and the user's own config. */
export const NO_AMBIENT_AWS = { AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/dev/null' }
