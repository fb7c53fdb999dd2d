import type { BridgeApi } from '../shared/ipc/bridge'

declare global {
  interface Window {
    /** Provided by the preload (Electron) or the e2e browser host; see src/shared/ipc/bridge.ts. */
    readonly bridgekeep: BridgeApi
  }
}
