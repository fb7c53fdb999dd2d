import { AppAgent } from '../agent/app-agent'
import type { Logger } from '../log'
import type { Services } from '../services'
import type { CommandLineStatus } from '../../shared/ipc/features/command-line'
import { AutoLock, type Clock } from './auto-lock'
import { OpenedShares } from './opened-shares'
import { TeamWatches } from './team-watches'
import { VaultDataWatch } from './vault-data-watch'
import type { OpenedShareFile } from '../../shared/ipc/features/sharing'
import { commandLineToolStatus, installCommandLineTool, type ToolPlaces } from './command-line-tool'

export interface DesktopHostOptions {
  services: Services
  /** Where the agent listens (agentSocketPath of the app's environment). */
  socketPath: string
  tool: ToolPlaces
  log: Logger
  /** The auto-lock's clock (tests move it on); the system clock otherwise. */
  clock?: Clock
  /** How long the computer has had no input, where the host can tell (the Electron shell). */
  systemIdleMs?: () => number
}

/** Why the vault locked without the window's Lock button, as the audit trail says it. */
const lockReasons = {
  suspend: 'Locked: the computer went to sleep',
  'lock-screen': 'Locked: the screen was locked',
  menu: 'Locked from the menu',
  tray: 'Locked from the tray',
} as const
export type LockReason = keyof typeof lockReasons

/** What the desktop app adds around its services, for the Electron shell and the e2e browser host. */
export interface DesktopHost {
  /** The agent's and the command-line tool's state, for Settings. */
  commandLineStatus(): Promise<CommandLineStatus>
  installCommandLineTool(request: { replace: boolean }): Promise<CommandLineStatus>
  /**
   * Locks the vault (and so the agent) when the computer sleeps or its screen locks, or from the
   * menu or the tray; recorded with the reason, and nothing to do when it is locked already.
   */
  lock(why: LockReason): void
  /** The user did something in the window: the auto-lock's idle time starts again. */
  reportActivity(): void
  /** A .bkshare file to import (double-clicked, or chosen with Open Share File…): the window previews it. */
  openShareFile(path: string): void
  /** The opened share file, once, for the window's import preview. */
  takeOpenedShareFile(): OpenedShareFile | null
  /**
   * Stops following the joined teams until the app starts again: copies change on Sync only (the
   * e2e host uses it to show a push conflict, which a live copy makes rare).
   */
  stopWatchingTeams(): Promise<void>
  /** At quit: stops the agent and removes its socket. */
  stop(): Promise<void>
}

/**
 * Starts what runs beside the window for as long as the app does: the agent on the CLI's socket
 * (a failure to serve is logged and shown in Settings, never fatal to the app), the auto-lock,
 * scheduled backups, the watch that tells the window about changes made by the CLI, and one
 * watch per joined team that brings other members' changes in while the vault is unlocked.
 */
export function startDesktopHost(options: DesktopHostOptions): DesktopHost {
  const { services, tool } = options
  const dataWatch = new VaultDataWatch({ services })
  const teamWatches = new TeamWatches({ services, log: options.log })
  const agent = new AppAgent({ ...options, onServed: () => dataWatch.touched() })
  void agent.start()
  const autoLock = new AutoLock({
    services,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.systemIdleMs ? { systemIdleMs: options.systemIdleMs } : {}),
  })
  const commandLineStatus = async (): Promise<CommandLineStatus> => ({
    agent: await agent.status(),
    tool: commandLineToolStatus(tool),
  })
  const openedShares = new OpenedShares(services.events)
  services.backupScheduler.start()
  return {
    commandLineStatus,
    async installCommandLineTool(request) {
      installCommandLineTool(tool, request)
      return commandLineStatus()
    },
    lock(why) {
      if (services.vault.status().state !== 'unlocked') return
      services.vaultLifecycle.lock(lockReasons[why])
    },
    reportActivity: () => autoLock.report(),
    openShareFile: (path) => openedShares.open(path),
    takeOpenedShareFile: () => openedShares.take(),
    stopWatchingTeams: () => teamWatches.stop(),
    stop: () => {
      autoLock.stop()
      dataWatch.stop()
      return Promise.all([services.backupScheduler.stop(), agent.stop(), teamWatches.stop()]).then(
        () => undefined,
      )
    },
  }
}
