// IPC overhead on the main side: what the generic handler (origin check, input parse, output
// parse, envelope) adds to a call, measured in-process on the same registry the app uses.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { dispatch } from '../src/main/ipc/dispatch'
import { createHandlerRegistry } from '../src/main/ipc/registry'
import { MemoryKeyStore } from '../src/main/security/keystore'
import { memoryLogger } from '../src/main/log'
import { createServices } from '../src/main/services'
import { report, round, sample, summarize } from './lib/measure'

const RUNS = 20_000
const dataDir = mkdtempSync(join(tmpdir(), 'bk-bench-ipc-'))
const log = memoryLogger()
const services = createServices({
  dataDir,
  appInfo: { name: 'Bridgekeep', version: 'bench', platform: process.platform, host: 'electron' },
  log,
  keyStore: new MemoryKeyStore(),
})
const registry = createHandlerRegistry(services)
const context = {
  senderUrl: 'app://bridgekeep/index.html',
  trustedOrigins: ['app://bridgekeep'],
  log,
}
const direct = registry.get('app:getInfo')!

async function main(): Promise<void> {
  const viaDispatch = summarize(
    await sample(() => dispatch(registry, 'app:getInfo', undefined, context), RUNS),
  )
  const handlerOnly = summarize(await sample(() => direct(undefined), RUNS))
  const rejected = summarize(
    await sample(() => dispatch(registry, 'settings:update', { theme: 'sepia' }, context), RUNS),
  )
  report({
    bench: 'ipc',
    runs: RUNS,
    dispatch_us: round(viaDispatch.median * 1000),
    dispatch_p95_us: round(viaDispatch.p95 * 1000),
    handler_only_us: round(handlerOnly.median * 1000),
    dispatch_overhead_us: round((viaDispatch.median - handlerOnly.median) * 1000),
    validation_reject_us: round(rejected.median * 1000),
  })
}

main().finally(() => rmSync(dataDir, { recursive: true, force: true }))
