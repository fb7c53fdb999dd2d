// Before `npm start` / `npm run dev`: a better-sqlite3 addon built for Electron's ABI, kept beside
// the Node one (node_modules/.cache/bridgekeep-electron/<electron version>/better_sqlite3.node),
// so `npm test` (Node) and `npm start` (Electron) both work, in either order, with no manual
// rebuild. The app loads it through better-sqlite3's `nativeBinding` option in development.
import { execFileSync } from 'node:child_process'
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { nodeGyp } from './node-gyp.mjs'

const root = resolve(import.meta.dirname, '..')
const require = createRequire(import.meta.url)
const electronVersion = require('electron/package.json').version
const target = join(
  root,
  'node_modules',
  '.cache',
  'bridgekeep-electron',
  electronVersion,
  'better_sqlite3.node',
)

if (existsSync(target)) process.exit(0)
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log(
    'electron-native: ELECTRON_SKIP_BINARY_DOWNLOAD is set, so Electron cannot run here; skipping.',
  )
  process.exit(0)
}

const source = dirname(require.resolve('better-sqlite3/package.json'))
const work = mkdtempSync(join(tmpdir(), 'bridgekeep-electron-native-'))
const copy = join(work, 'better-sqlite3')
const electronArgs = [`--runtime=electron`, `--target=${electronVersion}`, `--arch=${process.arch}`]
console.log(
  `electron-native: building better-sqlite3 for Electron ${electronVersion} (once per Electron version)…`,
)
try {
  cpSync(source, copy, { recursive: true, filter: (path) => !path.includes(`${source}/build`) })
  try {
    // A prebuilt addon for this Electron, when better-sqlite3 publishes one…
    const prebuild = require.resolve('prebuild-install/bin.js', { paths: [source] })
    execFileSync(process.execPath, [prebuild, ...electronArgs], { cwd: copy, stdio: 'inherit' })
  } catch {
    // …otherwise compile it against Electron's headers (npm's own node-gyp).
    execFileSync(
      process.execPath,
      [
        nodeGyp(),
        'rebuild',
        '--release',
        ...electronArgs,
        '--dist-url=https://electronjs.org/headers',
      ],
      {
        cwd: copy,
        stdio: 'inherit',
      },
    )
  }
  mkdirSync(dirname(target), { recursive: true })
  copyFileSync(join(copy, 'build', 'Release', 'better_sqlite3.node'), target)
  console.log(`electron-native: ready (${target})`)
} finally {
  rmSync(work, { recursive: true, force: true })
}
