import { findEvent, type EventChannel, type PayloadOf } from '../../../shared/ipc/contract'

export type EventListener = (channel: EventChannel, payload: unknown) => void

/**
 * Push events from services to whoever hosts the renderer. Payloads are checked against the
 * contract before they leave, so a window never receives a shape the contract does not name.
 */
export class EventBus {
  private readonly listeners = new Set<EventListener>()

  emit<E extends EventChannel>(channel: E, payload: PayloadOf<E>): void {
    const schema = findEvent(channel)
    if (!schema) throw new Error(`Unknown event channel ${channel}`)
    const parsed = schema.parse(payload)
    for (const listener of this.listeners) listener(channel, parsed)
  }

  /** Registers a host (all windows, or an e2e page); returns the function that removes it. */
  connect(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
