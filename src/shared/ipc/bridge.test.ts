import { describe, expect, it, vi } from 'vitest'
import { BridgekeepError } from '../errors'
import { createBridge, createClient, type BridgeTransport } from './bridge'
import { allChannels, allEventChannels } from './contract'
import { fail, ok } from './result'

function fakeTransport(answer: (channel: string, input: unknown) => unknown) {
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const transport: BridgeTransport = {
    invoke: vi.fn(async (channel: string, input: unknown) => answer(channel, input) as never),
    subscribe: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set()
      set.add(listener)
      listeners.set(channel, set)
      return () => set.delete(listener)
    },
  }
  const push = (channel: string, payload: unknown) =>
    listeners.get(channel)?.forEach((l) => l(payload))
  return { transport, push }
}

describe('createBridge', () => {
  it('has one named function per channel and one subscriber per event, nothing else', () => {
    const bridge = createBridge(fakeTransport(() => ok(null)).transport) as unknown as Record<
      string,
      object
    >
    const names = Object.entries(bridge).flatMap(([feature, fns]) =>
      Object.keys(fns).map((n) => `${feature}.${n}`),
    )
    const expected = [
      ...allChannels().map((c) => c.replace(':', '.')),
      ...allEventChannels().map((e) => {
        const [feature, event = ''] = e.split(':')
        return `${feature}.on${event[0]!.toUpperCase()}${event.slice(1)}`
      }),
    ]
    expect(names.sort()).toEqual(expected.sort())
  })

  it('sends the channel name and input through the transport', async () => {
    const { transport } = fakeTransport(() => ok({ theme: 'dark' }))
    const bridge = createBridge(transport)
    expect(await bridge.settings.update({ theme: 'dark' })).toEqual(ok({ theme: 'dark' }))
    expect(transport.invoke).toHaveBeenCalledWith('settings:update', { theme: 'dark' })
  })
})

describe('createClient', () => {
  it('resolves to the value of a successful call', async () => {
    const client = createClient(createBridge(fakeTransport(() => ok({ theme: 'light' })).transport))
    await expect(client.settings.get()).resolves.toEqual({ theme: 'light' })
  })

  it('throws a BridgekeepError with the code, message and hint of a failed call', async () => {
    const client = createClient(
      createBridge(
        fakeTransport(() => fail({ code: 'VALIDATION', message: 'bad theme', hint: 'pick one' }))
          .transport,
      ),
    )
    const error = await client.settings.update({ theme: 'dark' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BridgekeepError)
    expect(error).toMatchObject({ code: 'VALIDATION', message: 'bad theme', hint: 'pick one' })
  })

  it('delivers pushes until unsubscribed', () => {
    const { transport, push } = fakeTransport(() => ok(null))
    const client = createClient(createBridge(transport))
    const seen: string[] = []
    const unsubscribe = client.settings.onChanged((settings) => seen.push(settings.theme))
    push('settings:changed', { theme: 'dark' })
    unsubscribe()
    push('settings:changed', { theme: 'light' })
    expect(seen).toEqual(['dark'])
  })
})
