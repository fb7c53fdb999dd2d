'use strict'
// Stands in for @napi-rs/keyring, whose loader only re-exports its platform addon: in the single
// executable that addon is keyring.node beside the executable.
module.exports = require('./beside.cjs')('keyring.node')
