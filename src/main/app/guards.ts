import { originOf } from '../ipc/origin'

/**
 * The window's security decisions as plain functions, so they are unit-tested under Node; the
 * Electron wiring in window.ts only forwards events to them.
 */

/** In-app navigation (hash routes, reloads) stays on the app's own origin; nothing else loads. */
export function isNavigationAllowed(targetUrl: string, appOrigins: readonly string[]): boolean {
  try {
    return appOrigins.includes(originOf(targetUrl))
  } catch {
    return false
  }
}

export interface WindowOpenDecision {
  action: 'deny'
  /** https links (documentation, a provider's console) open in the user's browser instead. */
  openExternally: boolean
}

/** No new Electron window is ever created from the page. */
export function decideWindowOpen(url: string): WindowOpenDecision {
  let protocol = ''
  try {
    protocol = new URL(url).protocol
  } catch {
    // an unparsable URL is simply denied
  }
  return { action: 'deny', openExternally: protocol === 'https:' }
}

/**
 * Permission requests (camera, notifications, clipboard read, geolocation, ...): all denied. The
 * app needs none through the web platform; clipboard and notifications go through main.
 */
export function isPermissionGranted(_permission: string): boolean {
  return false
}
