// `npm run bench -- <name>`: runs bench/<name>.ts under Node (through tsx) and checks that its
// last line of output is one JSON object of figures. Benchmarks are never part of `npm test`.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const benchDir = join(root, 'bench')
const available = readdirSync(benchDir)
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
  .map((file) => file.slice(0, -3))
  .sort()
const [name, ...args] = process.argv.slice(2)

if (!name || !available.includes(name)) {
  console.error(`${name ? `No benchmark named "${name}". ` : ''}Usage: npm run bench -- <name>`)
  console.error(`Benchmarks: ${available.join(', ')}`)
  process.exit(2)
}
const entry = join(benchDir, `${name}.ts`)
if (!existsSync(entry)) process.exit(2)

// NODE_EXTRA_CA_CERTS (set by some shells and CI images) makes every Node process read and parse
// a CA bundle at start, 36-56 ms each here, which the CLI and runner figures would count as
// Bridgekeep's. Benches never need it (they talk to loopback fixtures only): no bench, nor any
// process a bench starts, sees it. bench/lib/measure.ts removes it too, for a bench run directly,
// and every report says so (node_extra_ca_certs: "unset").
const { NODE_EXTRA_CA_CERTS: _extraCaCerts, ...env } = process.env
const run = spawnSync(process.execPath, ['--import', 'tsx', entry, ...args], {
  cwd: root,
  env,
  stdio: ['ignore', 'pipe', 'inherit'],
  encoding: 'utf8',
})
process.stdout.write(run.stdout)
if (run.status !== 0) process.exit(run.status ?? 1)
const last = run.stdout.trimEnd().split('\n').at(-1) ?? ''
try {
  const figures = JSON.parse(last)
  if (typeof figures !== 'object' || figures === null || Array.isArray(figures))
    throw new Error('not an object')
} catch {
  console.error(`bench/${name}.ts must print one JSON object of figures on its last line.`)
  process.exit(1)
}
