/**
 * The browser host's stand-in for the preload: the same createBridge() over a Playwright binding
 * (calls) and a DOM event (pushes). Bundled to an IIFE by global-setup and injected with
 * page.addInitScript, so it runs before the renderer, as a preload would.
 */
import { createBridge } from '../../src/shared/ipc/bridge'
import type { IpcResult } from '../../src/shared/ipc/result'
import { INVOKE_BINDING, PUSH_EVENT } from './browser-bridge-names'

interface PushDetail {
  channel: string
  payload: unknown
}

const invoke = (
  window as unknown as Record<string, (c: string, i: unknown) => Promise<IpcResult<unknown>>>
)[INVOKE_BINDING]

if (invoke) {
  const bridge = createBridge({
    invoke: (channel, input) => invoke(channel, input),
    subscribe: (channel, listener) => {
      const onPush = (event: Event) => {
        const detail = (event as CustomEvent<PushDetail>).detail
        if (detail.channel === channel) listener(detail.payload)
      }
      window.addEventListener(PUSH_EVENT, onPush)
      return () => window.removeEventListener(PUSH_EVENT, onPush)
    },
  })
  for (const feature of Object.values(bridge)) Object.freeze(feature)
  Object.defineProperty(window, 'bridgekeep', { value: Object.freeze(bridge), enumerable: true })
}
