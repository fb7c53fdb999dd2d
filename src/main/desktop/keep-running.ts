import type { Services } from '../services'
import type { RunnerState } from '../../shared/runner-protocol/status'

/**
 * What the Electron shell decides when its window closes, and what its tray shows, as plain
 * functions over the services: unit-tested under Node, while app/tray.ts only draws them.
 */

export interface WindowCloseState {
  /** Quit was asked for (the menu, the tray, the OS): the window really closes. */
  quitting: boolean
  /** The setting "Keep running in the tray when the window is closed". */
  keepRunningInTray: boolean
  /** A tray icon exists to bring the window back (and to quit). */
  trayShown: boolean
}

/** Hide the window (the runner, health checks and agent go on), or let it close as it used to. */
export function decideWindowClose(state: WindowCloseState): 'hide' | 'close' {
  return !state.quitting && state.keepRunningInTray && state.trayShown ? 'hide' : 'close'
}

/** The setting, or its default when the settings file cannot be read (Settings shows why). */
export function keepsRunningInTray(services: Pick<Services, 'settings'>): boolean {
  try {
    return services.settings.get().keepRunningInTray
  } catch {
    return true
  }
}

export interface TrayState {
  vault: 'missing' | 'locked' | 'unlocked'
  runner: RunnerState
  /** Connections whose last check failed (0 while locked: health is vault data). */
  failing: number
}

export type TrayAction = 'open' | 'lock' | 'verify-all' | 'quit'
export type TrayEntry = { action: TrayAction; label: string; enabled: boolean } | 'separator'

export interface TrayView {
  /** Which icon: the plain mark, the locked mark, or the mark with a warning dot. */
  icon: 'unlocked' | 'locked' | 'attention'
  tooltip: string
  menu: TrayEntry[]
}

export function readTrayState(
  services: Pick<Services, 'vault' | 'runner' | 'healthStatus'>,
): TrayState {
  const vault = services.vault.status().state
  const runner = services.runner.status().state
  const failing =
    vault === 'unlocked'
      ? services.healthStatus.list().filter((health) => health.status === 'failing').length
      : 0
  return { vault, runner, failing }
}

const runnerWords: Record<RunnerState, string> = {
  stopped: 'runner stopped',
  starting: 'runner starting',
  ready: 'runner ready',
  degraded: 'runner degraded',
  restarting: 'runner restarting',
  crashed: 'runner crashed',
  failed: 'runner failed',
}

export function trayView(state: TrayState): TrayView {
  const unlocked = state.vault === 'unlocked'
  const runnerTrouble = ['degraded', 'crashed', 'failed'].includes(state.runner)
  const facts =
    state.vault === 'missing'
      ? ['no vault yet']
      : !unlocked
        ? ['locked']
        : [
            runnerWords[state.runner],
            state.failing === 0
              ? 'no failing connections'
              : `${state.failing} failing connection${state.failing === 1 ? '' : 's'}`,
          ]
  return {
    icon: !unlocked ? 'locked' : state.failing > 0 || runnerTrouble ? 'attention' : 'unlocked',
    tooltip: `Bridgekeep: ${facts.join(', ')}`,
    menu: [
      { action: 'open', label: 'Open Bridgekeep', enabled: true },
      'separator',
      { action: 'lock', label: 'Lock', enabled: unlocked },
      { action: 'verify-all', label: 'Verify All Connections', enabled: unlocked },
      'separator',
      { action: 'quit', label: 'Quit Bridgekeep', enabled: true },
    ],
  }
}
