import { useEffect } from 'react'
import { useNavigate } from 'react-router'
import { sections } from './sections'

const isMac = /Mac|iPhone|iPad/.test(navigator.userAgent)

/** "Ctrl+1" (or "⌘1" on macOS) for display; "Control+1" / "Meta+1" for aria-keyshortcuts. */
export function shortcutLabel(index: number, style: 'display' | 'aria'): string {
  if (style === 'aria') return `${isMac ? 'Meta' : 'Control'}+${index + 1}`
  return isMac ? `⌘${index + 1}` : `Ctrl+${index + 1}`
}

/** Ctrl/⌘ + 1…7 jumps to a section from anywhere in the window. */
export function useSectionShortcuts(): void {
  const navigate = useNavigate()
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const modifier = isMac ? event.metaKey : event.ctrlKey
      if (!modifier || event.altKey || event.shiftKey) return
      const index = Number.parseInt(event.key, 10) - 1
      const section = sections[index]
      if (!section) return
      event.preventDefault()
      void navigate(section.path)
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [navigate])
}
