'use strict'
// Stands in for the `bindings` package, which better-sqlite3 asks for its addon: in the single
// executable the addon is better_sqlite3.node beside the executable, built for its Node.
const loadBeside = require('./beside.cjs')

module.exports = () => loadBeside('better_sqlite3.node')
