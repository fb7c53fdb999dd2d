import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'

const ROOT = resolve(__dirname, '../..')

describe('bench/lib/measure', () => {
  // With NODE_EXTRA_CA_CERTS every Node process a bench starts (the CLI, the runner) would pay
  // 36–56 ms reading a CA bundle, counted as Bridgekeep's start-up.
  it('runs a bench and every process it starts without NODE_EXTRA_CA_CERTS, and reports it', () => {
    // A bench as the real ones are: it imports measure.ts, starts a Node process, reports.
    const dir = mkdtempSync(join(tmpdir(), 'bk-bench-probe-'))
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
    const bench = join(dir, 'probe.ts')
    writeFileSync(
      bench,
      `import { execFileSync } from 'node:child_process'
import { report } from ${JSON.stringify(join(ROOT, 'bench/lib/measure.ts'))}
const child = execFileSync(process.execPath, ['-p', 'process.env.NODE_EXTRA_CA_CERTS ?? "none"'], {
  encoding: 'utf8',
}).trim()
report({ bench: 'probe', child })
`,
    )
    const run = spawnSync(process.execPath, ['--import', 'tsx', bench], {
      cwd: ROOT,
      env: { ...process.env, NODE_EXTRA_CA_CERTS: join(ROOT, 'package.json') },
      encoding: 'utf8',
    })
    expect(run.status, run.stderr).toBe(0)
    const last = run.stdout.trimEnd().split('\n').at(-1)!
    expect(JSON.parse(last)).toEqual({
      bench: 'probe',
      child: 'none',
      node_extra_ca_certs: 'unset',
    })
  })
})
