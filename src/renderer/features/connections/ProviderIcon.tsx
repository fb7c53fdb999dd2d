import {
  Bell,
  Bot,
  Cloud,
  Container,
  Database,
  FolderSync,
  GitBranch,
  Globe,
  HardDrive,
  Ship,
  type LucideIcon,
} from 'lucide-react'
import { getProvider, type ProviderCategory } from './catalog'

export const categoryIcons: Record<ProviderCategory, LucideIcon> = {
  'Cloud Providers': Cloud,
  Git: GitBranch,
  'Container Registries': Container,
  'State Backends': HardDrive,
  Kubernetes: Ship,
  Databases: Database,
  'File Transfer': FolderSync,
  Generic: Globe,
  Notifications: Bell,
  AI: Bot,
}

/** A provider's category icon, decorative: the provider's name is always written beside it. */
export function ProviderIcon({ provider, className }: { provider: string; className?: string }) {
  const category = getProvider(provider)?.category
  const Icon = (category && categoryIcons[category]) ?? Globe
  return <Icon aria-hidden="true" className={className} />
}
