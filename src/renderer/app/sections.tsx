import {
  KeyRound,
  Layers,
  ScrollText,
  Server,
  Settings as SettingsIcon,
  Share2,
  Users,
  type LucideIcon,
} from 'lucide-react'
import type { ComponentType } from 'react'
import { AuditPage } from '../features/audit/AuditPage'
import { ConnectionsPage } from '../features/connections/ConnectionsPage'
import { EnvironmentsPage } from '../features/environments/EnvironmentsPage'
import { RunnerPage } from '../features/runner/RunnerPage'
import { SettingsPage } from '../features/settings/SettingsPage'
import { SharingPage } from '../features/sharing/SharingPage'
import { TeamsPage } from '../features/teams/TeamsPage'

export interface Section {
  id: string
  path: string
  label: string
  icon: LucideIcon
  Page: ComponentType
}

/** The product's sections, in sidebar order; Ctrl/⌘ + their position (1–7) jumps to each. */
export const sections: readonly Section[] = [
  {
    id: 'connections',
    path: '/connections',
    label: 'Connections',
    icon: KeyRound,
    Page: ConnectionsPage,
  },
  {
    id: 'environments',
    path: '/environments',
    label: 'Environments',
    icon: Layers,
    Page: EnvironmentsPage,
  },
  { id: 'sharing', path: '/sharing', label: 'Sharing', icon: Share2, Page: SharingPage },
  { id: 'teams', path: '/teams', label: 'Teams', icon: Users, Page: TeamsPage },
  { id: 'runner', path: '/runner', label: 'Runner', icon: Server, Page: RunnerPage },
  { id: 'audit', path: '/audit', label: 'Audit', icon: ScrollText, Page: AuditPage },
  { id: 'settings', path: '/settings', label: 'Settings', icon: SettingsIcon, Page: SettingsPage },
]
