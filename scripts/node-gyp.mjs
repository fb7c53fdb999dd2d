import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** npm's own node-gyp (the one `npm install` uses for native modules), wherever npm lives. */
export function nodeGyp() {
  const npmCli = process.env.npm_execpath
  const candidates = [
    npmCli && join(dirname(npmCli), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(
      dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
  ].filter(Boolean)
  const found = candidates.find((path) => existsSync(path))
  if (!found)
    throw new Error(
      'node-gyp not found: install it (npm install -g node-gyp) and run the command again.',
    )
  return found
}
