import { BridgekeepError } from '../../../shared/errors'
import { startSingleUseRedirect } from './single-use-redirect'

/** The user's web browser as main reaches it (shell.openExternal in the Electron shell). */
export interface BrowserPort {
  open(url: string): Promise<void>
}

/** Services without a desktop (tests of the services alone): opening a page is refused. */
export const noBrowser: BrowserPort = {
  open: () =>
    Promise.reject(
      new BridgekeepError(
        'NOT_SUPPORTED',
        'There is no browser to open the page in here.',
        'Open it from the desktop app, or from the command line.',
      ),
    ),
}

/**
 * Opens a link that signs whoever holds it in. Main does it itself, so the page never gets the
 * link, and the browser is given only a one-time loopback address that redirects to it, so the
 * link is never in a command line either (see single-use-redirect.ts).
 */
export async function openSecretLink(browser: BrowserPort, link: string): Promise<void> {
  const redirect = await startSingleUseRedirect(link)
  try {
    await browser.open(redirect.url)
  } catch (error) {
    redirect.close()
    if (error instanceof BridgekeepError) throw error
    throw new BridgekeepError(
      'OPERATION_FAILED',
      'The default web browser could not be started.',
      'Set a default web browser in your system settings, then try again.',
    )
  }
}
