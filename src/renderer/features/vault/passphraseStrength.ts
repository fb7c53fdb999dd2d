import { useEffect, useState } from 'react'
import {
  loadPassphraseEstimator,
  type PassphraseEstimator,
} from '../../../shared/passphrase-strength'

/**
 * The passphrase rule main applies (src/shared/passphrase-strength.ts: structural rules, then
 * zxcvbn). Its word lists, about 1.7 MB, load in chunks of their own when a passphrase form
 * first shows, not with the window.
 */
export { loadPassphraseEstimator }

let loaded: PassphraseEstimator | undefined

/** The estimator once its word lists have loaded (they start loading on first use), else undefined. */
export function usePassphraseEstimator(): PassphraseEstimator | undefined {
  const [estimator, setEstimator] = useState(loaded)
  useEffect(() => {
    if (estimator) return
    let live = true
    loadPassphraseEstimator().then(
      (ready) => {
        loaded = ready
        if (live) setEstimator(ready)
      },
      () => undefined, // the form's submit check falls back to main, which applies the same rule
    )
    return () => {
      live = false
    }
  }, [estimator])
  return estimator
}
