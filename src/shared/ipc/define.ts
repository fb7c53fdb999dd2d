import type { z } from 'zod'

/** One request/response channel: what the renderer may send and what main promises to return. */
export interface ChannelSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I
  output: O
}

export function channel<I extends z.ZodType, O extends z.ZodType>(
  input: I,
  output: O,
): ChannelSpec<I, O> {
  return { input, output }
}

/** A feature's channels, keyed by method name: `{ get: channel(...), update: channel(...) }`. */
export type FeatureChannels = Record<string, ChannelSpec>

/** A feature's push events, keyed by event name, each with its payload schema. */
export type FeatureEvents = Record<string, z.ZodType>

export function channelName(feature: string, method: string): string {
  return `${feature}:${method}`
}

/** `changed` -> `onChanged`: the name of the subscribe function on `window.bridgekeep`. */
export function subscriberName(event: string): `on${string}` {
  return `on${event.charAt(0).toUpperCase()}${event.slice(1)}`
}
