import { useEffect, useSyncExternalStore } from 'react'
import type { ThemePreference } from '../../shared/settings'

const darkQuery = window.matchMedia('(prefers-color-scheme: dark)')

function subscribe(onChange: () => void): () => void {
  darkQuery.addEventListener('change', onChange)
  return () => darkQuery.removeEventListener('change', onChange)
}

/** The theme the OS asks for, kept live as the user switches it. */
export function useSystemTheme(): 'light' | 'dark' {
  return useSyncExternalStore(subscribe, () => (darkQuery.matches ? 'dark' : 'light'))
}

/** Applies the chosen theme ('system' follows the OS) to the document. */
export function useTheme(preference: ThemePreference): 'light' | 'dark' {
  const system = useSystemTheme()
  const theme = preference === 'system' ? system : preference
  useEffect(() => {
    document.documentElement.dataset.theme = theme
    document.documentElement.style.colorScheme = theme
  }, [theme])
  return theme
}
