#!/usr/bin/env node
'use strict'
// The `bridgekeep` command: the CLI as built by `npm run build` (out/main/cli.js).
const { compileCacheDir, pinnedNode } = require('../scripts/runtime.cjs')

const pinned = pinnedNode()
if (pinned && pinned.version !== process.versions.node) {
  // Started by another Node (a shell whose `node` is the system one): run on the pinned Node,
  // the one better-sqlite3 is built for and the tests ran on. Signals are passed on, and the
  // child's exit (code or signal) becomes ours.
  // Required here only: loading child_process is a noticeable part of a call the agent answers.
  const { spawn } = require('node:child_process')
  // argv[1], not __filename: started through a link (docker-credential-bridgekeep), its name says
  // which command runs (commandLine).
  const child = spawn(pinned.binary, [process.argv[1], ...process.argv.slice(2)], {
    stdio: 'inherit',
  })
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP']
  for (const signal of signals) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => {
    for (const name of signals) process.removeAllListeners(name)
    if (signal) process.kill(process.pid, signal)
    else process.exit(code ?? 1)
  })
  return
}

// Node keeps compiled modules between runs: a call that opens the vault loads about 1 MB of
// JavaScript (one the agent answers, a few hundred KB), and this is the difference between
// compiling it every time and reading it back (see `npm run bench -- cli`).
// BRIDGEKEEP_COMPILE_CACHE=0 turns it off.
const module_ = require('node:module')
if (process.env.BRIDGEKEEP_COMPILE_CACHE !== '0' && module_.enableCompileCache) {
  module_.enableCompileCache(compileCacheDir())
}

const { commandLine, runCli } = require('../out/main/cli.js')
runCli(commandLine(process.argv[1], process.argv.slice(2))).then((code) => {
  process.exitCode = code
})
