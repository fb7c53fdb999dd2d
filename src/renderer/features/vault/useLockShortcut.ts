import { useEffect } from 'react'

const isMac = /Mac|iPhone|iPad/.test(navigator.userAgent)

export const lockShortcut = {
  display: isMac ? '⌘L' : 'Ctrl+L',
  aria: isMac ? 'Meta+L' : 'Control+L',
}

/** Ctrl/⌘ + L locks the vault from anywhere in the window. */
export function useLockShortcut(lock: () => void): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const modifier = isMac ? event.metaKey : event.ctrlKey
      if (!modifier || event.altKey || event.shiftKey || event.key.toLowerCase() !== 'l') return
      event.preventDefault()
      lock()
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [lock])
}
