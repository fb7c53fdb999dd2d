'use strict'
// The one Node Bridgekeep runs on outside Electron: tests, benches, the CLI and the runner.
//
// It is the Node of the pinned Electron, so the services are tested on the runtime users get. The
// binary comes from the npm registry as a per-platform package (package.json optionalDependencies,
// pinned to an exact version and checked by the lockfile's integrity hash); npm installs only the
// one whose os/cpu match and links it as node_modules/.bin/node, which `npm run` puts first on
// PATH. The system Node only starts npm.
//
// CommonJS so that bin/bridgekeep.cjs can read it on any Node, and the .mjs scripts can import it.
const { existsSync } = require('node:fs')
const { join } = require('node:path')

/**
 * Electron major -> the Node major its main and utility processes run (release notes at
 * https://releases.electronjs.org). When Electron moves to a new major, add it here; a test
 * fails until the Node in package.json's optionalDependencies follows.
 */
const ELECTRON_NODE_MAJOR = {
  35: 22,
  36: 22,
  37: 22,
  38: 22,
  39: 22,
  40: 24,
  41: 24,
  42: 24,
  43: 24,
  44: 24,
  45: 24,
}

/** The npm package carrying Node for this platform (macOS on Apple silicon uses another prefix). */
function nodePackageName(platform = process.platform, arch = process.arch) {
  const os = platform === 'win32' ? 'win' : platform
  const prefix = platform === 'darwin' && arch === 'arm64' ? 'node-bin' : 'node'
  return `${prefix}-${os}-${arch}`
}

/** The pinned Node's folder and binary, or null when npm carries none for this platform. */
function pinnedNode(root = join(__dirname, '..')) {
  const folder = join(root, 'node_modules', nodePackageName())
  const binary = join(folder, 'bin', process.platform === 'win32' ? 'node.exe' : 'node')
  if (!existsSync(binary)) return null
  const { version } = require(join(folder, 'package.json'))
  // Its headers (include/node) let node-gyp build native modules for it with no download.
  const headers = existsSync(join(folder, 'include', 'node', 'node.h')) ? folder : null
  return { folder, binary, version, headers }
}

/** Where Node keeps the CLI's compiled-module cache: the user's cache folder, never the vault's. */
function compileCacheDir(env = process.env, platform = process.platform) {
  const home = env.HOME || env.USERPROFILE || ''
  if (platform === 'win32') {
    return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'Bridgekeep', 'compile-cache')
  }
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'Bridgekeep', 'compile-cache')
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'bridgekeep', 'compile-cache')
}

module.exports = {
  ELECTRON_NODE_MAJOR,
  nodePackageName,
  pinnedNode,
  compileCacheDir,
}
