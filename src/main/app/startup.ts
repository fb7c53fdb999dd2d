import { mkdirSync } from 'node:fs'

/**
 * The part of Electron's `app` the start-up order touches; `app` itself in src/main/index.ts, a
 * recording fake in the test (this file imports nothing from electron, so it runs under Node).
 */
export interface StartupApp {
  enableSandbox(): void
  setName(name: string): void
  setPath(name: 'userData', path: string): void
  requestSingleInstanceLock(): boolean
  on(event: 'second-instance', listener: (event: unknown, argv: string[]) => void): unknown
  whenReady(): Promise<unknown>
  quit(): void
}

export interface StartupSteps {
  name: string
  /**
   * The data folder, absolute (`resolveDataDir()`): BRIDGEKEEP_HOME, or the per-user app-data
   * folder. Created here if missing.
   */
  dataDir: string
  /** What must also happen before ready (privileged schemes). */
  beforeReady(): void
  /**
   * Another instance was started (with its command line: a double-clicked share file): bring
   * this one's window to the front.
   */
  secondInstance(argv: string[]): void
  /** Once ready: services, IPC, the window. */
  ready(): void
  /** The data folder could not be made userData, or start-up failed: log it and exit. */
  failed(error: unknown): void
}

/**
 * The order Electron needs, in one place: the sandbox, the name, and `userData` set to the data
 * folder first — before the single-instance lock, which lives in `userData`, and before ready,
 * after which Chromium has already put its own data (cookies, caches, local storage) in the
 * default folder. Set later, `BRIDGEKEEP_HOME` moved neither, and two apps with different data
 * folders locked each other out. Returns whether this instance carries on.
 */
export function startApp(app: StartupApp, steps: StartupSteps): boolean {
  app.enableSandbox()
  app.setName(steps.name)
  try {
    // setPath throws for a folder that does not exist (a new BRIDGEKEEP_HOME, a first start).
    // 0700: the vault's own check (fs/private-folder.ts) then finds it private.
    mkdirSync(steps.dataDir, { recursive: true, mode: 0o700 })
    app.setPath('userData', steps.dataDir)
  } catch (error) {
    steps.failed(error)
    return false
  }
  steps.beforeReady()
  if (!app.requestSingleInstanceLock()) {
    // Another Bridgekeep with this data folder is running; it receives 'second-instance'.
    app.quit()
    return false
  }
  app.on('second-instance', (_event, argv) => steps.secondInstance(argv))
  app.whenReady().then(steps.ready).catch(steps.failed)
  return true
}
