'use strict'
// Preloaded into the electronegativity scan (node --require). Its only network call is a download
// of updated translations through got 11, whose retry timer throws an uncaught error on Node 22+
// ("The `onCancel` handler was attached after the promise settled") and kills the scan. The scan
// needs no translations: electronegativity's `require('got')` gets this module instead, whose
// export answers "unavailable" at once, and the scan goes on with its bundled English, offline.
const { registerHooks } = require('node:module')
const { pathToFileURL } = require('node:url')

module.exports = () => Promise.reject(new Error('offline: no translation download'))

const self = pathToFileURL(__filename).href
registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'got' && context.parentURL?.includes('/@doyensec/electronegativity/')) {
      return { url: self, format: 'commonjs', shortCircuit: true }
    }
    return nextResolve(specifier, context)
  },
})
