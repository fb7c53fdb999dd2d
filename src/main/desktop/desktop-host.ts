import { AppAgent } from '../agent/app-agent'
import type { Logger } from '../log'
import type { Services } from '../services'
import type { CommandLineStatus } from '../../shared/ipc/features/command-line'
import { commandLineToolStatus, installCommandLineTool, type ToolPlaces } from './command-line-tool'

export interface DesktopHostOptions {
  services: Services
  /** Where the agent listens (agentSocketPath of the app's environment). */
  socketPath: string
  tool: ToolPlaces
  log: Logger
}

/** Why the vault locked by itself, as the audit trail says it. */
const awayReasons = {
  suspend: 'Locked: the computer went to sleep',
  'lock-screen': 'Locked: the screen was locked',
} as const

/** What the desktop app adds around its services, for the Electron shell and the e2e browser host. */
export interface DesktopHost {
  /** The agent's and the command-line tool's state, for Settings. */
  commandLineStatus(): Promise<CommandLineStatus>
  installCommandLineTool(request: { replace: boolean }): Promise<CommandLineStatus>
  /** Locks the vault (and so the agent) when the computer sleeps or its screen locks. */
  lockWhenAway(why: keyof typeof awayReasons): void
  /** At quit: stops the agent and removes its socket. */
  stop(): Promise<void>
}

/**
 * Starts what runs beside the window for as long as the app does: the agent on the CLI's socket
 * (a failure to serve is logged and shown in Settings, never fatal to the app).
 */
export function startDesktopHost(options: DesktopHostOptions): DesktopHost {
  const { services, tool } = options
  const agent = new AppAgent(options)
  void agent.start()
  const commandLineStatus = async (): Promise<CommandLineStatus> => ({
    agent: await agent.status(),
    tool: commandLineToolStatus(tool),
  })
  return {
    commandLineStatus,
    async installCommandLineTool(request) {
      installCommandLineTool(tool, request)
      return commandLineStatus()
    },
    lockWhenAway(why) {
      if (services.vault.status().state !== 'unlocked') return
      services.vaultLifecycle.lock(awayReasons[why])
    },
    stop: () => agent.stop(),
  }
}
