import { _electron as electron } from '@playwright/test'
import { E2E_KEYCHAIN_SERVICE, ROOT } from '../paths'
import type { AppHost } from './host'

/** The real Electron app (out/main), with its data in the test's own folder. */
export async function launchElectronHost(
  executablePath: string,
  dataDir: string,
): Promise<AppHost> {
  const app = await electron.launch({
    executablePath,
    args: [ROOT],
    env: {
      ...process.env,
      BRIDGEKEEP_HOME: dataDir,
      BRIDGEKEEP_KEYCHAIN_SERVICE: E2E_KEYCHAIN_SERVICE,
      ELECTRON_RENDERER_URL: '',
    },
  })
  const page = await app.firstWindow()
  await page.waitForLoadState('domcontentloaded')
  return { kind: 'electron', page, dataDir, close: () => app.close() }
}
