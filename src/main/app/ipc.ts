import { BrowserWindow, ipcMain } from 'electron'
import { dispatch } from '../ipc/dispatch'
import type { HandlerRegistry } from '../ipc/registry'
import type { Logger } from '../log'
import type { EventBus } from '../services/events/event-bus'

/** Registers the one generic handler for every channel, with the sending frame's URL. */
export function registerIpc(
  registry: HandlerRegistry,
  trustedOrigins: readonly string[],
  log: Logger,
): void {
  for (const channel of registry.keys()) {
    ipcMain.handle(channel, (event, input: unknown) =>
      dispatch(registry, channel, input, {
        senderUrl: event.senderFrame?.url,
        trustedOrigins,
        log,
      }),
    )
  }
}

/** Forwards service push events to every open window. */
export function forwardEvents(events: EventBus): () => void {
  return events.connect((channel, payload) => {
    for (const window of BrowserWindow.getAllWindows()) window.webContents.send(channel, payload)
  })
}
