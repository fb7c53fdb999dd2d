import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'
import { ROOT } from './run-node'

const eslint = new ESLint({ cwd: ROOT })

async function reports(filePath: string, code: string, rules: string[]): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath })
  // A sample that does not parse would report nothing and pass as "allowed".
  expect(result!.messages.filter((message) => message.fatal)).toEqual([])
  return result!.messages.filter((message) => rules.includes(message.ruleId ?? '')).length
}

const restrictedImports = (filePath: string, code: string) =>
  reports(filePath, code, ['no-restricted-imports', '@typescript-eslint/no-restricted-imports'])

const rawSql = (filePath: string, code: string) => reports(filePath, code, ['no-restricted-syntax'])

/** A stand-in for better-sqlite3's Database, so the samples need no import. */
const DB =
  'declare const db: { prepare(sql: string): unknown; exec(sql: string): void; pragma(sql: string): unknown }\n'

describe('layer boundaries (eslint)', () => {
  it.each([
    ['src/main/services/x.ts', "import { app } from 'electron'\nexport const a = app\n"],
    ['src/main/ipc/x.ts', "import { ipcMain } from 'electron/main'\nexport const a = ipcMain\n"],
    ['src/runner/x.ts', "import { app } from 'electron'\nexport const a = app\n"],
    ['src/cli/x.ts', "import { app } from 'electron'\nexport const a = app\n"],
    ['src/shared/x.ts', "import { readFileSync } from 'node:fs'\nexport const a = readFileSync\n"],
    ['src/shared/x.ts', "import { readFileSync } from 'fs'\nexport const a = readFileSync\n"],
    ['src/renderer/x.ts', "import { join } from 'node:path'\nexport const a = join\n"],
    [
      'src/renderer/x.ts',
      "import { createServices } from '../main/services'\nexport const a = createServices\n",
    ],
    ['src/shared/x.ts', "import { app } from 'electron'\nexport const a = app\n"],
    [
      'src/shared/x.ts',
      "import { createLogger } from '../main/log'\nexport const a = createLogger\n",
    ],
    [
      'src/shared/ipc/features/x.ts',
      "import { runRunner } from '../../../runner/index'\nexport const a = runRunner\n",
    ],
    [
      'src/shared/providers/x.ts',
      "import { secrets } from '../../../test/fixtures/provider-values'\nexport const a = secrets\n",
    ],
    [
      'src/shared/providers/x.test.ts',
      "import { createLogger } from '../../main/log'\nexport const a = createLogger\n",
    ],
    [
      'src/shared/providers/x.test.ts',
      "import { readFileSync } from 'node:fs'\nexport const a = readFileSync\n",
    ],
    [
      'src/main/services/x.ts',
      "import BetterSqlite3 from 'better-sqlite3'\nexport const a = BetterSqlite3\n",
    ],
    ['src/cli/x.ts', "import Database from 'better-sqlite3'\nexport const a = Database\n"],
    ['src/main/agent/x.ts', "import { run } from '../../cli/index'\nexport const a = run\n"],
    ['src/main/app/x.ts', "import { run } from '../../cli'\nexport const a = run\n"],
    [
      'src/main/services/x/x-service.ts',
      "import { SqliteError } from 'better-sqlite3'\nexport const a = SqliteError\n",
    ],
  ])('refuses in %s: %s', async (file, code) => {
    expect(await restrictedImports(file, code)).toBe(1)
  })

  it.each([
    ['src/main/index.ts', "import { app } from 'electron'\nexport const a = app\n"],
    ['src/main/app/x.ts', "import { app } from 'electron'\nexport const a = app\n"],
    [
      'src/preload/index.ts',
      "import { contextBridge } from 'electron'\nexport const a = contextBridge\n",
    ],
    [
      'src/main/services/x.ts',
      "import { readFileSync } from 'node:fs'\nexport const a = readFileSync\n",
    ],
    [
      'src/renderer/x.ts',
      "import { settingsSchema } from '../shared/settings'\nexport const a = settingsSchema\n",
    ],
    [
      'src/shared/ipc/features/x.ts',
      "import { runnerStates } from '../../runner-protocol/status'\nexport const a = runnerStates\n",
    ],
    [
      'src/shared/ipc/contract.ts',
      "import { runnerChannels } from './features/runner'\nexport const a = runnerChannels\n",
    ],
    [
      'src/shared/providers/x.test.ts',
      "import { secrets } from '../../../test/fixtures/provider-values'\nexport const a = secrets\n",
    ],
    [
      'src/main/db/x.ts',
      "import BetterSqlite3 from 'better-sqlite3'\nexport const a = BetterSqlite3\n",
    ],
    [
      'src/main/services/x.ts',
      "import type { Statement } from 'better-sqlite3'\nexport type A = Statement\n",
    ],
    [
      'src/main/services/x/x-repository.ts',
      "import { SqliteError } from 'better-sqlite3'\nexport const a = SqliteError\n",
    ],
  ])('allows in %s: %s', async (file, code) => {
    expect(await restrictedImports(file, code)).toBe(0)
  })
})

describe('SQL only in src/main/db and repositories (eslint)', () => {
  it.each([
    [
      'src/main/services/x/x-service.ts',
      `${DB}export const f = (sql: string) => db.prepare(sql)\n`,
    ],
    ['src/main/services/x/x-service.ts', `${DB}export const f = () => db.pragma('data_version')\n`],
    ['src/main/services/x/x-service.ts', `${DB}db.exec('CREATE TABLE t (x)')\n`],
    ['src/main/services/x/x-service.ts', `${DB}export const q = 'DELETE FROM t WHERE id = ?'\n`],
    [
      'src/main/services/x/x-service.ts',
      `${DB}export const q = (columns: string) => \`SELECT \${columns} FROM t\`\n`,
    ],
    ['src/main/ipc/x.ts', `${DB}export const q = '  UPDATE t SET x = 1'\n`],
    ['src/cli/commands/x.ts', `${DB}export const f = (sql: string) => db.prepare(sql)\n`],
  ])('refuses in %s: %s', async (file, code) => {
    expect(await rawSql(file, code)).toBe(1)
  })

  it.each([
    [
      'src/main/services/x/x-repository.ts',
      `${DB}export const f = () => db.prepare('SELECT 1 FROM t')\n`,
    ],
    ['src/main/db/x.ts', `${DB}db.exec('CREATE TABLE t (x)')\ndb.pragma('foreign_keys = ON')\n`],
    ['src/main/services/x/x.test.ts', `${DB}db.prepare('DELETE FROM t').run()\n`],
    // A query the Postgres provider sends to the user's server, not to the vault.
    ['src/runner/providers/x.ts', "export const q = 'SELECT 1 AS ok'\n"],
    // Words that are not statements, and RegExp's exec.
    ['src/main/services/x/x-service.ts', "export const methods = ['GET', 'DELETE']\n"],
    ['src/main/services/x/x-service.ts', 'export const f = (s: string) => /^a/.exec(s)\n'],
    ['src/main/services/x/x-service.ts', "export const m = 'Select a connection first.'\n"],
  ])('allows in %s: %s', async (file, code) => {
    expect(await rawSql(file, code)).toBe(0)
  })
})
