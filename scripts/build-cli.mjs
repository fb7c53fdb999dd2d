// `npm run build:cli`: the `bridgekeep` command as one executable that runs with no Node installed
// (Node's single executable applications), in dist-cli/<platform>-<arch>/ with its two native
// addons beside it. The packaged app carries that folder as <resources>/cli (electron-builder.yml).
//
// 1. esbuild bundles src/cli/single-executable.ts (the CLI, and the runner program that
//    `runner start` starts) into one CommonJS file; the two native packages' loaders are swapped
//    for scripts/single-executable/*.cjs, which load the addons from the executable's folder
//    (inside the executable `require` loads builtins only).
// 2. The pinned Node (scripts/runtime.cjs) turns that file into a blob, and postject injects the
//    blob into a copy of that same Node binary: the executable IS the pinned Node, so nothing
//    re-executes on another Node as bin/bridgekeep.cjs does.
import { execFileSync, spawnSync } from 'node:child_process'
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'
import { inject } from 'postject'

const root = resolve(import.meta.dirname, '..')
const require = createRequire(import.meta.url)
const { nodePackageName, pinnedNode } = require('./runtime.cjs')
const { version } = require('../package.json')

const platform = `${process.platform}-${process.arch}`
const outDir = join(root, 'dist-cli', platform)
const work = join(root, 'dist-cli', `.build-${platform}`)
const executable = join(outDir, process.platform === 'win32' ? 'bridgekeep.exe' : 'bridgekeep')
// Node's documented sentinel: the executable checks it to know a blob was injected.
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'

function fail(message) {
  console.error(`build-cli: ${message}`)
  process.exit(1)
}

const node = pinnedNode(root)
if (!node) fail(`npm installed no ${nodePackageName()} here, so there is no Node to embed.`)

const natives = { 'better_sqlite3.node': sqliteAddon(), 'keyring.node': keyringAddon() }

rmSync(work, { recursive: true, force: true })
mkdirSync(work, { recursive: true })
const bundle = join(work, 'cli.cjs')
await bundleCli(bundle)

const blob = join(work, 'sea-prep.blob')
const config = {
  main: bundle,
  output: blob,
  disableExperimentalSEAWarning: true,
  // V8's compiled code for the bundle's top level rides in the blob: `--version` takes half the
  // CPU with it, `ls` a third less (figures in docs/decisions.md).
  useCodeCache: true,
}
writeFileSync(join(work, 'sea-config.json'), `${JSON.stringify(config, null, 2)}\n`)
execFileSync(node.binary, ['--experimental-sea-config', join(work, 'sea-config.json')], {
  stdio: ['ignore', 'ignore', 'inherit'],
})

rmSync(outDir, { recursive: true, force: true })
mkdirSync(outDir, { recursive: true })
copyFileSync(node.binary, executable)
chmodSync(executable, 0o755)
// macOS refuses a binary whose signature no longer matches: drop Node's, inject, sign ad hoc.
if (process.platform === 'darwin') execFileSync('codesign', ['--remove-signature', executable])
await inject(executable, 'NODE_SEA_BLOB', readFileSync(blob), {
  sentinelFuse: SEA_FUSE,
  ...(process.platform === 'darwin' ? { machoSegmentName: 'NODE_SEA' } : {}),
})
if (process.platform === 'darwin') execFileSync('codesign', ['--sign', '-', executable])
for (const [name, source] of Object.entries(natives)) copyFileSync(source, join(outDir, name))
rmSync(work, { recursive: true, force: true })

const probe = spawnSync(executable, ['--version'], { encoding: 'utf8' })
if (probe.status !== 0 || !probe.stdout.includes(version)) {
  fail(`the built executable does not start: ${probe.stderr || probe.stdout}`)
}
console.log(
  `build-cli: ${relative(root, executable)} (Node ${node.version}, bridgekeep ${version})`,
)

/**
 * better-sqlite3's addon as scripts/node-native.mjs built it for the pinned Node. Copied now:
 * packaging the app later rebuilds that folder for Electron's ABI.
 */
function sqliteAddon() {
  const addon = join(
    dirname(require.resolve('better-sqlite3/package.json')),
    'build',
    'Release',
    'better_sqlite3.node',
  )
  const load = spawnSync(node.binary, [
    '-e',
    'process.dlopen({ exports: {} }, process.argv[1])',
    addon,
  ])
  if (load.status !== 0) {
    fail(
      `${relative(root, addon)} does not load in Node ${node.version} (built for another Node?). ` +
        'Rebuild it with `node scripts/node-native.mjs`, then run this again.',
    )
  }
  return addon
}

/** The N-API addon of @napi-rs/keyring for this platform (one of its optional packages). */
function keyringAddon() {
  const abi = { linux: '-gnu', win32: '-msvc' }[process.platform] ?? ''
  const name = `keyring-${process.platform}-${process.arch}${abi}`
  const addon = join(root, 'node_modules', '@napi-rs', name, `keyring.${name.slice(8)}.node`)
  if (!existsSync(addon)) fail(`@napi-rs/${name} is not installed: run npm install.`)
  return addon
}

async function bundleCli(outfile) {
  // esbuild comes with tsx (a dev dependency), as prebuild-install comes with better-sqlite3.
  const esbuild = await import(
    require.resolve('esbuild', { paths: [dirname(require.resolve('tsx/package.json'))] })
  )
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['src/cli/single-executable.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${node.version.split('.')[0]}`,
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    // The entry chooses between the CLI and the runner: their own `require.main === module`
    // blocks (true for whatever a single executable bundles) must not start either.
    define: { 'require.main': 'undefined' },
    // ssh2's optional native speed-ups (its crypto binding, cpu-features) are tried in a
    // try/catch: left out, the require fails in the executable and ssh2 uses its JavaScript path.
    external: ['*.node'],
    alias: {
      bindings: './scripts/single-executable/bindings.cjs',
      '@napi-rs/keyring': './scripts/single-executable/keyring.cjs',
    },
  })
}
