import { QueryErrorResetBoundary } from '@tanstack/react-query'
import { Lock, ShieldCheck } from 'lucide-react'
import { Suspense, useCallback, useLayoutEffect, useRef, type KeyboardEvent } from 'react'
import { NavLink, Outlet, useLocation } from 'react-router'
import { useHealthTransitions } from '../api/health'
import { useAppInfo } from '../api/queries'
import { useLockVault } from '../api/vault'
import { Spinner } from '../components/Spinner'
import { useToast } from '../components/Toast'
import { FailingConnectionsBadge } from '../features/health/FailingConnectionsBadge'
import { RunnerSidebarStatus } from '../features/runner/RunnerSidebarStatus'
import { lockShortcut, useLockShortcut } from '../features/vault/useLockShortcut'
import styles from './AppLayout.module.css'
import { ErrorBoundary } from './ErrorBoundary'
import { sections } from './sections'
import { shortcutLabel, useSectionShortcuts } from './useSectionShortcuts'
import { useActivityReports } from './useActivityReports'
import { useOpenedShareFiles } from './useOpenedShareFiles'

export function AppLayout() {
  useSectionShortcuts()
  useActivityReports()
  useOpenedShareFiles()
  const location = useLocation()
  useHealthToasts(location.pathname)
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
                  {id === 'connections' && <FailingConnectionsBadge />}
                  <kbd className={styles.kbd} aria-hidden="true">
                    {shortcutLabel(index, 'display')}
                  </kbd>
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <LockButton />
        <RunnerSidebarStatus />
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

/** Locks the vault (also Ctrl/⌘+L): the app gives way to the unlock screen at once. */
function LockButton() {
  const lockVault = useLockVault()
  const notify = useToast()
  const { mutate } = lockVault
  const lock = useCallback(
    () =>
      mutate(undefined, {
        onError: (error) => notify({ tone: 'error', message: `Not locked: ${error.message}` }),
      }),
    [mutate, notify],
  )
  useLockShortcut(lock)
  return (
    <button
      type="button"
      className={styles.lock}
      onClick={lock}
      disabled={lockVault.isPending}
      aria-keyshortcuts={lockShortcut.aria}
    >
      <Lock aria-hidden="true" className={styles.icon} />
      <span className={styles.label}>Lock</span>
      <kbd className={styles.kbd} aria-hidden="true">
        {lockShortcut.display}
      </kbd>
    </button>
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

/**
 * After moving to another section, focus its heading so screen readers announce where we are.
 * A layout effect, in the same commit as the new page: a later effect would pull focus away from
 * whatever the user already typed into (the search box after "/", say).
 */
function useFocusHeadingOnNavigation(pathname: string): void {
  const first = useRef(true)
  useLayoutEffect(() => {
    if (first.current) {
      first.current = false
      return
    }
    // The main area scrolls by itself and outlives routes: each page starts at its top.
    document.getElementById('main')?.scrollTo({ top: 0 })
    if (isEditing(document.activeElement)) return
    const heading = document.querySelector<HTMLElement>('main h1')
    heading?.focus({ preventScroll: true })
  }, [pathname])
}

/** Focus in a field the user types into: never taken away from them. */
function isEditing(element: Element | null): boolean {
  return element?.closest('input, textarea, select, [contenteditable="true"]') != null
}

/**
 * Health transitions as toasts, only where the page does not already show them: a failing
 * connection is counted by the sidebar badge and described on its own page, and a recovery is
 * visible on the Connections pages' status dots.
 */
function useHealthToasts(pathname: string): void {
  const notify = useToast()
  const showsHealth = pathname.startsWith('/connections')
  const show = useCallback(
    (message: string, failing: boolean) => {
      if (failing || showsHealth) return
      notify({ message, tone: 'success' })
    },
    [notify, showsHealth],
  )
  useHealthTransitions(show)
}
