import { contextBridge, ipcRenderer } from 'electron'
import { createBridge } from '../shared/ipc/bridge'
import type { IpcResult } from '../shared/ipc/result'

/**
 * Exposes `window.bridgekeep`: one named function per contract channel and `onX(cb)` per push
 * event. ipcRenderer itself never reaches the page, and there is no generic invoke.
 */
const bridge = createBridge({
  invoke: (channel, input) => ipcRenderer.invoke(channel, input) as Promise<IpcResult<unknown>>,
  subscribe: (channel, listener) => {
    // The page's callback receives the payload only, never the IpcRendererEvent (which would
    // hand it ipcRenderer's sender).
    const forward = (_event: Electron.IpcRendererEvent, payload: unknown) => listener(payload)
    ipcRenderer.on(channel, forward)
    return () => {
      ipcRenderer.removeListener(channel, forward)
    }
  },
})

contextBridge.exposeInMainWorld('bridgekeep', bridge)
