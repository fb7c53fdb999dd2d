import { join } from 'node:path'
import { app } from 'electron'

/**
 * The app's icon as a file, for what draws it outside electron-builder's own packaging: desktop
 * notifications and, on Linux, the window (which has no icon in an unpacked app otherwise).
 * Packaged, it is the extraResources copy; from a checkout, the one in resources/.
 */
export function appIconPath(): string {
  return app.isPackaged
    ? join(process.resourcesPath, 'icon.png')
    : join(app.getAppPath(), 'resources', 'icon.png')
}
