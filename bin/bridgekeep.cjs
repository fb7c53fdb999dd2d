#!/usr/bin/env node
'use strict'
// The `bridgekeep` command: the CLI as built by `npm run build` (out/main/cli.js).
const { runCli } = require('../out/main/cli.js')
runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code
})
