import type { ComponentType } from 'react'
import { TeamPage } from './TeamPage'

/** Pages under the Teams section (the list itself is the section's own route). */
export const teamRoutes: readonly { path: string; Page: ComponentType }[] = [
  { path: 'teams/:id', Page: TeamPage },
]
