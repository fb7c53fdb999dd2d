import { useEffect } from 'react'
import { api } from '../api/client'

/** Often enough for an idle time counted in minutes, rarely enough to cost nothing. */
const REPORT_EVERY_MS = 30_000
const activityEvents = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'focus'] as const

/**
 * Tells main that the user is here (at most every 30 s) while the vault is unlocked, so the
 * auto-lock in main waits. A report that fails is of no consequence: the next one comes soon.
 */
export function useActivityReports(): void {
  useEffect(() => {
    let lastReport = 0
    const onActivity = () => {
      const now = Date.now()
      if (now - lastReport < REPORT_EVERY_MS) return
      lastReport = now
      api.app.reportActivity().catch(() => undefined)
    }
    for (const name of activityEvents) window.addEventListener(name, onActivity, { passive: true })
    return () => {
      for (const name of activityEvents) window.removeEventListener(name, onActivity)
    }
  }, [])
}
