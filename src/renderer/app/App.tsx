import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { HashRouter, Navigate, Route, Routes } from 'react-router'
import { AppLayout } from './AppLayout'
import { ErrorBoundary } from './ErrorBoundary'
import { NotFoundPage } from './NotFoundPage'
import { sections } from './sections'

const queryClient = new QueryClient({
  defaultOptions: {
    // Main answers from local services: a failure is a real answer, not a flaky network.
    queries: { retry: false, refetchOnWindowFocus: false },
  },
})

export function App() {
  return (
    <ErrorBoundary scope="app">
      <QueryClientProvider client={queryClient}>
        {/* Hash routes: the page is one document on app://, so reloads never hit the protocol. */}
        <HashRouter>
          <Routes>
            <Route element={<AppLayout />}>
              <Route index element={<Navigate to="/connections" replace />} />
              {sections.map(({ id, path, Page }) => (
                <Route key={id} path={path.slice(1)} element={<Page />} />
              ))}
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </HashRouter>
      </QueryClientProvider>
    </ErrorBoundary>
  )
}
