import { QueryErrorResetBoundary } from '@tanstack/react-query'
import { ShieldCheck } from 'lucide-react'
import { Suspense, useEffect, useRef, type KeyboardEvent } from 'react'
import { NavLink, Outlet, useLocation } from 'react-router'
import { useAppInfo, usePushEvents, useSettingsQuery } from '../api/queries'
import { Spinner } from '../components/Spinner'
import styles from './AppLayout.module.css'
import { ErrorBoundary } from './ErrorBoundary'
import { sections } from './sections'
import { shortcutLabel, useSectionShortcuts } from './useSectionShortcuts'
import { useTheme } from './useTheme'

export function AppLayout() {
  const settings = useSettingsQuery()
  useTheme(settings.data?.theme ?? 'system')
  usePushEvents()
  useSectionShortcuts()
  const location = useLocation()
  useFocusHeadingOnNavigation(location.pathname)

  return (
    <div className={styles.shell}>
      <a className={styles.skipLink} href="#main" onClick={focusMain}>
        Skip to content
      </a>
      <aside className={styles.sidebar}>
        <div className={styles.brand}>
          <ShieldCheck aria-hidden="true" className={styles.brandMark} />
          <span>Bridgekeep</span>
        </div>
        <nav aria-label="Sections" onKeyDown={moveFocusWithArrows}>
          <ul className={styles.nav}>
            {sections.map(({ id, path, label, icon: Icon }, index) => (
              <li key={id}>
                <NavLink
                  to={path}
                  className={({ isActive }) =>
                    isActive ? `${styles.link} ${styles.active}` : styles.link
                  }
                  aria-keyshortcuts={shortcutLabel(index, 'aria')}
                  data-section={id}
                >
                  <Icon aria-hidden="true" className={styles.icon} />
                  <span className={styles.label}>{label}</span>
                  <kbd className={styles.kbd} aria-hidden="true">
                    {shortcutLabel(index, 'display')}
                  </kbd>
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <SidebarFooter />
      </aside>
      <main id="main" className={styles.main} tabIndex={-1}>
        <QueryErrorResetBoundary>
          {({ reset }) => (
            <ErrorBoundary
              scope="section"
              resetKey={location.pathname}
              sectionTitle={sections.find(({ path }) => location.pathname.startsWith(path))?.label}
              onReset={reset}
            >
              <Suspense fallback={<Spinner label="Loading" />}>
                <Outlet />
              </Suspense>
            </ErrorBoundary>
          )}
        </QueryErrorResetBoundary>
      </main>
    </div>
  )
}

function SidebarFooter() {
  const info = useAppInfo()
  return (
    <footer className={styles.footer}>
      {info.data ? `Version ${info.data.version}` : info.isError ? 'Version unknown' : '\u00a0'}
    </footer>
  )
}

/** Up/Down/Home/End move between the sidebar's sections, as in a native list. */
function moveFocusWithArrows(event: KeyboardEvent<HTMLElement>): void {
  const links = Array.from(event.currentTarget.querySelectorAll<HTMLAnchorElement>('a'))
  const current = links.indexOf(document.activeElement as HTMLAnchorElement)
  if (current < 0) return
  const target = {
    ArrowDown: (current + 1) % links.length,
    ArrowUp: (current - 1 + links.length) % links.length,
    Home: 0,
    End: links.length - 1,
  }[event.key]
  if (target === undefined) return
  event.preventDefault()
  links[target]?.focus()
}

function focusMain(event: { preventDefault(): void }): void {
  event.preventDefault()
  document.getElementById('main')?.focus()
}

/** After moving to another section, focus its heading so screen readers announce where we are. */
function useFocusHeadingOnNavigation(pathname: string): void {
  const first = useRef(true)
  useEffect(() => {
    if (first.current) {
      first.current = false
      return
    }
    const heading = document.querySelector<HTMLElement>('main h1')
    heading?.focus({ preventScroll: true })
  }, [pathname])
}
