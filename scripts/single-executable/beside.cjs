'use strict'
// Inside the single executable `require` loads Node's builtins only, so a native addon is loaded
// by path, from the folder the executable is in (scripts/build-cli.mjs copies it there).
const { existsSync } = require('node:fs')
const { createRequire } = require('node:module')
const { dirname, join } = require('node:path')

/** The addon `file` beside the running executable. */
module.exports = function loadBeside(file) {
  const path = join(dirname(process.execPath), file)
  if (!existsSync(path)) {
    // Said plainly: a bare "Cannot find module" would read like a broken vault or keychain.
    throw new Error(
      `${file} is missing beside ${process.execPath}; the command needs the files it was installed with (reinstall Bridgekeep, or run npm run build:cli)`,
    )
  }
  return createRequire(process.execPath)(path)
}
