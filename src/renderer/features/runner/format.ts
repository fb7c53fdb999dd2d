import type { RunnerStatus } from '../../api/runner'

export const stateLabels: Record<RunnerStatus['state'], string> = {
  stopped: 'Stopped',
  starting: 'Starting',
  ready: 'Ready',
  degraded: 'Degraded',
  restarting: 'Restarting',
  crashed: 'Crashed',
  failed: 'Failed',
}

export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger'

export const stateTones: Record<RunnerStatus['state'], Tone> = {
  stopped: 'neutral',
  starting: 'info',
  ready: 'success',
  degraded: 'warning',
  restarting: 'info',
  crashed: 'warning',
  failed: 'danger',
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}

/** 950 ms, 12 s, 4 min 5 s, 3 h 2 min, 2 d 4 h. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  const seconds = Math.floor(ms / 1000)
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return `${hours} h ${minutes % 60} min`
  return `${Math.floor(hours / 24)} d ${hours % 24} h`
}

export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(2)} ms` : `${Math.round(ms)} ms`
}

/** "just now", "12 s ago", "3 min ago"... or the date, for anything older than a day. */
export function formatAgo(iso: string | null, now: number): string {
  if (!iso) return 'Never'
  const at = Date.parse(iso)
  const ago = now - at
  if (ago < 2000) return 'Just now'
  if (ago < 86_400_000) return `${formatDuration(ago).replace(/ \d+ (s|min)$/, '')} ago`
  return new Date(at).toLocaleString()
}

export function formatTime(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour12: false })
}
