import type { ComponentType } from 'react'
import { ConnectionDetailsPage } from './details/ConnectionDetailsPage'
import { EditConnectionPage } from './form/EditConnectionPage'
import { NewConnectionPage } from './form/NewConnectionPage'
import { TrashPage } from './trash/TrashPage'

/** Pages under the Connections section (the list itself is the section's own route). */
export const connectionRoutes: readonly { path: string; Page: ComponentType }[] = [
  { path: 'connections/trash', Page: TrashPage },
  { path: 'connections/new/:providerId', Page: NewConnectionPage },
  { path: 'connections/:id', Page: ConnectionDetailsPage },
  { path: 'connections/:id/edit', Page: EditConnectionPage },
]
