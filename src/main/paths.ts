import { homedir } from 'node:os'
import { join } from 'node:path'

export const APP_NAME = 'Bridgekeep'

/**
 * Where Bridgekeep keeps its data. `BRIDGEKEEP_HOME` wins; otherwise the per-user application
 * data folder Electron would use for the app (its `userData`). The app sets Electron's userData
 * to this same path, so the app and the CLI agree by construction.
 */
export function resolveDataDir(
  env: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const override = env.BRIDGEKEEP_HOME?.trim()
  if (override) return override
  switch (platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', APP_NAME)
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME)
    default:
      return join(env.XDG_CONFIG_HOME?.trim() || join(home, '.config'), APP_NAME)
  }
}

/**
 * The app's log file (size-rotated: app.log.1 … app.log.3 beside it). Error hints point here
 * ("the app log has the details"), and README's Data folder paragraph names it.
 */
export function appLogFile(dataDir: string): string {
  return join(dataDir, 'logs', 'app.log')
}
