import { Notification } from 'electron'
import type { EventBus } from '../services/events/event-bus'
import { appIconPath } from './app-icon'
import type { HealthTransition } from '../../shared/health'

/**
 * A desktop notification when a connection turns failing or recovers (health:transition), so a
 * broken production credential is noticed before a deploy needs it. Never carries a secret: the
 * message is the runner's classified error or the identity it proved.
 */
export function notifyHealthTransitions(events: EventBus): () => void {
  return events.connect((channel, payload) => {
    if (channel !== 'health:transition' || !Notification.isSupported()) return
    const transition = payload as HealthTransition
    new Notification({
      title:
        transition.to === 'failing'
          ? `${transition.connectionName} is failing`
          : `${transition.connectionName} works again`,
      body: transition.message,
      urgency: transition.to === 'failing' ? 'critical' : 'normal',
      icon: appIconPath(),
    }).show()
  })
}
