import { MutationCache, QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { HashRouter, Navigate, Route, Routes } from 'react-router'
import { queryKeys, usePushEvents, useSettingsQuery } from '../api/queries'
import { useEnvironmentsPushEvents } from '../api/environments'
import { useTeamsPushEvents } from '../api/teams'
import { useVaultPushEvents, useVaultStatus } from '../api/vault'
import { ToastProvider } from '../components/Toast'
import { connectionRoutes } from '../features/connections/routes'
import { teamRoutes } from '../features/teams/routes'
import { MfaCodePrompt } from '../features/mfa/MfaCodeDialog'
import { VaultGate } from '../features/vault/VaultGate'
import { AppLayout } from './AppLayout'
import { ErrorBoundary } from './ErrorBoundary'
import { NotFoundPage } from './NotFoundPage'
import { sections } from './sections'
import { useTheme } from './useTheme'

const queryClient: QueryClient = new QueryClient({
  // Every write, done or refused, lands in the audit trail: a shown timeline refetches.
  mutationCache: new MutationCache({
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.audit }),
  }),
  defaultOptions: {
    // Main answers from local services: a failure is a real answer, not a flaky network.
    queries: { retry: false, refetchOnWindowFocus: false },
  },
})

export function App() {
  return (
    <ErrorBoundary scope="app">
      <QueryClientProvider client={queryClient}>
        {/* Hash routes: the page is one document on app://, so reloads never hit the protocol.
            No transitions: a section renders within the key press or click that opened it, so
            the keys typed next land on the new page (see useFocusHeadingOnNavigation). */}
        <HashRouter useTransitions={false}>
          <Root />
        </HashRouter>
      </QueryClientProvider>
    </ErrorBoundary>
  )
}

/** The theme and main's pushes apply to every screen, the vault's first-run and unlock included. */
function Root() {
  const settings = useSettingsQuery()
  useTheme(settings.data?.theme ?? 'system')
  usePushEvents()
  useVaultPushEvents()
  useEnvironmentsPushEvents()
  useTeamsPushEvents()
  const vault = useVaultStatus()
  return (
    // Above the gate, so a notice survives the unlock screen giving way to the app.
    <ToastProvider clear={vault.data !== undefined && vault.data.state !== 'unlocked'}>
      <VaultGate>
        <Routes>
          <Route element={<AppLayout />}>
            <Route index element={<Navigate to="/connections" replace />} />
            {sections.map(({ id, path, Page }) => (
              <Route key={id} path={path.slice(1)} element={<Page />} />
            ))}
            {[...connectionRoutes, ...teamRoutes].map(({ path, Page }) => (
              <Route key={path} path={path} element={<Page />} />
            ))}
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </VaultGate>
      {/* A CLI call waiting for an MFA code is answered from whatever screen is showing. */}
      <MfaCodePrompt />
    </ToastProvider>
  )
}
