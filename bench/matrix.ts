// Matrix, resolution and audit figures, main side: reading the 2,000 x 50 matrix,
// applying one toggle and a 50-cell row toggle, resolution throughput, audit append throughput
// and verifying a 100,000-entry chain. The UI figures (time until interactive, toggle and row
// toggle latency) come from bench/matrix-ui.ts, run as a child in Chromium (needs `npm run build`).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { memoryLogger } from '../src/main/log'
import { MemoryKeyStore } from '../src/main/security/keystore'
import { createServices, type Services } from '../src/main/services'
import { matrixSchema, type AuthorizationPair } from '../src/shared/environments'
import { providers } from '../src/shared/providers'
import { canaryValues } from '../test/catalog-values'
import { report, round, sample, summarize } from './lib/measure'

const CONNECTIONS = 2_000
const ENVIRONMENTS = 50
/** Share of cells authorized in the bench matrix. */
const DENSITY = 0.3
const AUDIT_ENTRIES = 100_000
const dirs: string[] = []

async function vault(): Promise<Services> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bk-bench-matrix-'))
  dirs.push(dataDir)
  const services = createServices({
    dataDir,
    appInfo: { name: 'Bridgekeep', version: 'bench', platform: process.platform, host: 'browser' },
    log: memoryLogger(),
    keyStore: new MemoryKeyStore(),
  })
  await services.vault.create({ mode: 'keychain' })
  return services
}

/** A deterministic pseudo-random sequence, so every run measures the same matrix. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31
    return state / 2 ** 31
  }
}

function perSecond(count: number, ms: number): number {
  return Math.round(count / (ms / 1000))
}

async function matrixFigures() {
  const services = await vault()
  const { connections, environments, authorizations } = services
  const github = providers.find((provider) => provider.id === 'github')!
  const ids = connections.createMany(
    Array.from({ length: CONNECTIONS }, (_, i) => ({
      name: `github-${String(i).padStart(4, '0')}`,
      provider: 'github',
      authMode: 'inline',
      values: canaryValues(github, 'inline').values,
      labels: [`team-${i % 7}`],
    })),
  )
  for (let i = environments.list().length; i < ENVIRONMENTS; i++) {
    environments.create({ name: `env-${String(i).padStart(2, '0')}` })
  }
  const envs = environments.list()
  const rand = random(42)
  const grants: AuthorizationPair[] = []
  for (const connectionId of ids)
    for (const env of envs)
      if (rand() < DENSITY) grants.push({ connectionId, environmentId: env.id })
  authorizations.applyChanges({ grants, confirmProtected: true })

  const getMatrix = summarize(await sample(() => authorizations.getMatrix(), 20))
  // What the IPC dispatcher adds: parsing the answer against the contract's output schema.
  const getMatrixIpc = summarize(
    await sample(() => matrixSchema.parse(authorizations.getMatrix()), 10),
  )
  const matrix = authorizations.getMatrix()
  const cells = matrix.authorized.reduce((sum, row) => sum + row.length, 0)

  // One toggle: flip a random unprotected cell (grant if off, revoke if on).
  const unprotected = envs.filter((env) => !env.protected)
  const toggle = summarize(
    await sample(() => {
      const connectionId = ids[Math.floor(rand() * ids.length)]!
      const env = unprotected[Math.floor(rand() * unprotected.length)]!
      const on = authorizations.authorizationsFor(connectionId).environmentIds.includes(env.id)
      const pair = [{ connectionId, environmentId: env.id }]
      authorizations.applyChanges(on ? { revokes: pair } : { grants: pair })
    }, 100),
  )
  // A row toggle: all 50 cells of one connection on (then off), protected included, confirmed.
  let rowOn = false
  const rowToggle = summarize(
    await sample(() => {
      const connectionId = ids[Math.floor(rand() * ids.length)]!
      const pairs = envs.map((env) => ({ connectionId, environmentId: env.id }))
      rowOn = !rowOn
      authorizations.applyChanges({
        ...(rowOn ? { grants: pairs } : { revokes: pairs }),
        confirmProtected: true,
      })
    }, 50),
  )

  // Resolution by name of authorized pairs (the success path the CLI and runner take).
  const now = authorizations.getMatrix()
  const targets = now.connections.flatMap((connection, row) =>
    (now.authorized[row] ?? [])
      .slice(0, 1)
      .map((column) => [connection.slug, now.environments[column]!.slug] as const),
  )
  const RESOLVES = 50_000
  const resolveStart = performance.now()
  for (let i = 0; i < RESOLVES; i++) {
    const [slug, env] = targets[i % targets.length]!
    services.resolution.resolve('github', env, slug)
  }
  const resolvePerS = perSecond(RESOLVES, performance.now() - resolveStart)
  // With the usage it records (one committed write per use).
  const USES = 500
  const useStart = performance.now()
  for (let i = 0; i < USES; i++) {
    const [slug, env] = targets[i % targets.length]!
    services.resolution.use('github', env, slug, 'exec')
  }
  const usePerS = perSecond(USES, performance.now() - useStart)
  const listMs = summarize(await sample(() => connections.list(), 10)).median

  services.vault.close()
  return {
    connections: matrix.connections.length,
    environments: matrix.environments.length,
    authorized_cells: cells,
    get_matrix_2000x50_ms: round(getMatrix.median),
    get_matrix_2000x50_with_schema_ms: round(getMatrixIpc.median),
    apply_changes_ms: round(toggle.median),
    apply_changes_p95_ms: round(toggle.p95),
    apply_changes_row_ms: round(rowToggle.median),
    resolve_per_s: resolvePerS,
    resolve_and_record_use_per_s: usePerS,
    list_2000_with_last_used_ms: round(listMs),
  }
}

async function auditFigures() {
  const services = await vault()
  const { audit } = services
  const entry = (i: number) => ({
    action: 'connection.reveal' as const,
    target: { type: 'connection' as const, id: `c-${i % 2000}`, name: `github-${i % 2000}` },
    environment: { id: 'env', name: 'production' },
    detail: 'Field token',
  })
  // As the app appends: one committed (fsynced) transaction per entry.
  const SINGLE = 2_000
  const singleStart = performance.now()
  for (let i = 0; i < SINGLE; i++) audit.record(entry(i))
  const appendPerS = perSecond(SINGLE, performance.now() - singleStart)

  // Inside larger transactions (an import, a matrix save): the chain cost without the fsync.
  const db = services.vault.database()
  const batchStart = performance.now()
  for (let done = SINGLE; done < AUDIT_ENTRIES; done += 10_000) {
    const end = Math.min(done + 10_000, AUDIT_ENTRIES)
    db.transaction(() => {
      for (let i = done; i < end; i++) audit.record(entry(i))
    })()
  }
  const batchedPerS = perSecond(AUDIT_ENTRIES - SINGLE, performance.now() - batchStart)

  const verify = summarize(
    await sample(() => {
      const result = audit.verify()
      if (!result.ok || result.checked !== AUDIT_ENTRIES) throw new Error('verification failed')
    }, 5),
  )
  const firstPage = summarize(await sample(() => audit.query({ limit: 200 }), 20))
  services.vault.close()
  return {
    audit_append_per_s: appendPerS,
    audit_append_in_transaction_per_s: batchedPerS,
    audit_verify_100k_ms: round(verify.median, 1),
    audit_query_first_page_100k_ms: round(firstPage.median),
  }
}

/** The Chromium figures, from bench/matrix-ui.ts in its own process (its last output line). */
function uiFigures(): Record<string, unknown> {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'matrix-ui.ts')],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  if (run.status !== 0)
    throw new Error('bench/matrix-ui.ts failed (is the app built? npm run build)')
  const { bench: _bench, note, ...figures } = JSON.parse(run.stdout.trimEnd().split('\n').at(-1)!)
  return { ...figures, ui_note: note }
}

async function main(): Promise<void> {
  const matrix = await matrixFigures()
  const audit = await auditFigures()
  const ui = uiFigures()
  report({
    bench: 'matrix',
    ...ui,
    note: 'apply_changes_ms / apply_changes_row_ms are the main-side cost of saving one toggle / a 50-cell row toggle at 2,000 x 50 (one committed transaction each, synchronous=FULL).',
    ...matrix,
    ...audit,
  })
}

main().finally(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })))
