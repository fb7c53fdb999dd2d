import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'
import { ROOT } from './run-node'

const eslint = new ESLint({ cwd: ROOT })

async function restrictedImports(filePath: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath })
  return result!.messages.filter((message) =>
    ['no-restricted-imports', '@typescript-eslint/no-restricted-imports'].includes(
      message.ruleId ?? '',
    ),
  ).length
}

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
  ])('allows in %s: %s', async (file, code) => {
    expect(await restrictedImports(file, code)).toBe(0)
  })
})
