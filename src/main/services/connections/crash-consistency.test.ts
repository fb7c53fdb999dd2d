import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { providers } from '../../../shared/providers'
import { exampleValues } from '../../../../test/catalog-values'
import { ROOT } from '../../../../test/run-node'
import { memoryLogger } from '../../log'
import { MemoryKeyStore } from '../../security/keystore'
import { Vault } from '../vault/vault'
import { ConnectionsService } from './connections-service'

const PASSPHRASE = 'correct horse battery staple'
const BEFORE = 50
const BATCH = 20_000

/** Starts the writer, waits until it is inside the transaction, then kills it with SIGKILL. */
function killMidBatch(
  dataDir: string,
  delayMs: number,
): Promise<{ signal: NodeJS.Signals | null; finished: boolean }> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        resolve(ROOT, 'test/fixtures/batch-writer.ts'),
        dataDir,
        PASSPHRASE,
        String(BATCH),
      ],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    )
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('writing') && !child.killed)
        setTimeout(() => child.kill('SIGKILL'), delayMs)
    })
    child.on('error', fail)
    child.on('exit', (_code, signal) => done({ signal, finished: output.includes('done') }))
  })
}

describe('a process killed with SIGKILL in the middle of a large batch write', () => {
  it.each([50, 250, 600])(
    'leaves a consistent vault holding the old or the new state (kill after %i ms)',
    async (delayMs) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'bk-crash-'))
      const log = memoryLogger()
      const vault = new Vault({ dataDir, keyStore: new MemoryKeyStore(), log })
      await vault.create({ mode: 'passphrase', passphrase: PASSPHRASE })
      const github = providers.find((p) => p.id === 'github')!
      const connections = new ConnectionsService({ vault, log })
      connections.createMany(
        Array.from({ length: BEFORE }, (_, i) => ({
          name: `before-${i}`,
          provider: 'github',
          authMode: 'inline',
          values: exampleValues(github, 'inline'),
        })),
      )
      vault.close()

      const outcome = await killMidBatch(dataDir, delayMs)
      expect(outcome.signal === 'SIGKILL' || outcome.finished).toBe(true)

      const reopened = new Vault({ dataDir, keyStore: new MemoryKeyStore(), log })
      await reopened.unlock({ method: 'passphrase', passphrase: PASSPHRASE })
      const db = reopened.database()
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      expect(db.pragma('foreign_key_check')).toEqual([])
      const count = new ConnectionsService({ vault: reopened, log }).list().length
      expect([BEFORE, BEFORE + BATCH]).toContain(count)
      const orphans = db
        .prepare(
          'SELECT count(*) AS n FROM secret_versions v LEFT JOIN connections c ON c.id = v.connection_id WHERE c.id IS NULL',
        )
        .get()
      expect(orphans).toEqual({ n: 0 })
      reopened.close()
    },
  )
})
