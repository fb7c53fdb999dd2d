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

const run = spawnSync(process.execPath, ['--import', 'tsx', entry, ...args], {
  cwd: root,
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
