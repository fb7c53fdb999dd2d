// After `npm install` / `npm ci`: better-sqlite3 built for the pinned Node (scripts/runtime.cjs)
// that runs the tests, the CLI and the runner. better-sqlite3's own install script is turned off
// (package.json allowScripts), because it builds for whichever Node and headers npm happens to
// run with; this one always targets the pinned Node, after every package is in place, so install
// order never matters. The Electron build is scripts/electron-native.mjs, kept apart.
import { execFileSync, spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, resolve } from 'node:path'
import { nodeGyp } from './node-gyp.mjs'

const root = resolve(import.meta.dirname, '..')
const require = createRequire(import.meta.url)
const { nodePackageName, pinnedNode } = require('./runtime.cjs')

const pinned = pinnedNode(root)
if (!pinned) {
  console.warn(
    `node-native: npm carries no ${nodePackageName()} package, so Bridgekeep's scripts run on ` +
      `this Node (${process.version}) instead of the pinned one; install Node 24 if tests ask for it.`,
  )
}
const node = pinned ? pinned.binary : process.execPath
const version = pinned ? pinned.version : process.versions.node

if (loads()) {
  console.log(`node-native: better-sqlite3 is ready for Node ${version}.`)
  process.exit(0)
}

const source = dirname(require.resolve('better-sqlite3/package.json'))
const env = { ...process.env, PATH: `${dirname(node)}${pathSeparator()}${process.env.PATH}` }
// The pinned package carries Node's headers: no download (the build machines cannot reach one).
if (pinned?.headers) env.npm_config_nodedir = pinned.headers
console.log(`node-native: building better-sqlite3 for Node ${version} (about a minute, once)…`)
try {
  // A prebuilt addon for this Node, when better-sqlite3 publishes one and the network allows…
  const prebuild = require.resolve('prebuild-install/bin.js', { paths: [source] })
  execFileSync(node, [prebuild, '--runtime=node', `--target=${version}`], {
    cwd: source,
    env,
    stdio: 'inherit',
    timeout: 60_000,
  })
} catch {
  // …otherwise compile it from source.
  execFileSync(node, [nodeGyp(), 'rebuild', '--release', `--target=${version}`], {
    cwd: source,
    env,
    stdio: 'inherit',
  })
}
if (!loads()) {
  console.error(`node-native: better-sqlite3 still does not load in Node ${version}.`)
  process.exit(1)
}
console.log(`node-native: better-sqlite3 is ready for Node ${version}.`)

/** Whether better-sqlite3 opens a database in the target Node, in a child (a failed load sticks). */
function loads() {
  const check = "new (require('better-sqlite3'))(':memory:').close()"
  return spawnSync(node, ['-e', check], { cwd: root, stdio: 'ignore' }).status === 0
}

function pathSeparator() {
  return process.platform === 'win32' ? ';' : ':'
}
