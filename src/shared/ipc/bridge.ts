import type { z } from 'zod'
import { channelName, subscriberName, type ChannelSpec, type FeatureEvents } from './define'
import { contract, events, type Contract, type Events, type Feature } from './contract'
import { unwrap, type IpcResult } from './result'

/** How a host carries calls and pushes: ipcRenderer in Electron, a Playwright binding in e2e. */
export interface BridgeTransport {
  invoke(channel: string, input: unknown): Promise<IpcResult<unknown>>
  subscribe(channel: string, listener: (payload: unknown) => void): () => void
}

export type Unsubscribe = () => void

type Call<S, R> =
  S extends ChannelSpec<infer I, infer O>
    ? undefined extends z.input<I>
      ? (input?: z.input<I>) => Promise<R extends 'result' ? IpcResult<z.output<O>> : z.output<O>>
      : (input: z.input<I>) => Promise<R extends 'result' ? IpcResult<z.output<O>> : z.output<O>>
    : never

type Subscribers<E extends FeatureEvents> = {
  [N in keyof E & string as `on${Capitalize<N>}`]: (
    listener: (payload: z.output<E[N]>) => void,
  ) => Unsubscribe
}

type Api<R extends 'result' | 'value'> = {
  [F in Feature]: { [M in keyof Contract[F]]: Call<Contract[F][M], R> } & (F extends keyof Events
    ? Subscribers<Events[F]>
    : unknown)
}

/** `window.bridgekeep`: one named function per channel, returning the result envelope. */
export type BridgeApi = Api<'result'>
/** The renderer's client: the same names, resolving to values and throwing BridgekeepError. */
export type ClientApi = Api<'value'>

type AnyFn = (...args: never[]) => unknown
type Table = Record<string, Record<string, AnyFn>>

function buildApi(call: (channel: string) => AnyFn, subscribe: (channel: string) => AnyFn): Table {
  const api: Table = {}
  for (const [feature, channels] of Object.entries(contract)) {
    const functions: Record<string, AnyFn> = {}
    for (const method of Object.keys(channels)) {
      functions[method] = call(channelName(feature, method))
    }
    api[feature] = functions
  }
  for (const [feature, featureEvents] of Object.entries(events)) {
    const functions = (api[feature] ??= {})
    for (const event of Object.keys(featureEvents)) {
      functions[subscriberName(event)] = subscribe(channelName(feature, event))
    }
  }
  return api
}

/**
 * Builds `window.bridgekeep` from the contract. Only named functions exist: there is no generic
 * invoke, so the page cannot reach a channel the contract does not name.
 */
export function createBridge(transport: BridgeTransport): BridgeApi {
  const api = buildApi(
    (channel) => (input?: unknown) => transport.invoke(channel, input),
    (channel) => (listener: (payload: unknown) => void) => transport.subscribe(channel, listener),
  )
  return api as unknown as BridgeApi
}

/**
 * Wraps the bridge for the renderer. contextBridge drops custom properties of thrown errors, so
 * the typed BridgekeepError is rebuilt here, on the page's side, from the envelope.
 */
export function createClient(bridge: BridgeApi): ClientApi {
  const raw = bridge as unknown as Table
  const api = buildApi(
    (channel) => {
      const [feature = '', method = ''] = channel.split(':')
      const fn = raw[feature]?.[method] as
        ((input?: unknown) => Promise<IpcResult<unknown>>) | undefined
      if (!fn) throw new Error(`The bridge has no function for ${channel}; rebuild the preload.`)
      return async (input?: unknown) => unwrap(await fn(input))
    },
    (channel) => {
      const [feature = '', event = ''] = channel.split(':')
      const fn = raw[feature]?.[subscriberName(event)]
      if (!fn) throw new Error(`The bridge has no subscriber for ${channel}; rebuild the preload.`)
      return fn
    },
  )
  return api as unknown as ClientApi
}
