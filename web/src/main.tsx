import { QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createBrowserRouter, RouterProvider } from 'react-router'
import { configureClient } from './api/client.ts'
import { sessionKeys, type SessionData } from './api/session.ts'
import { createQueryClient } from './app/query-client.ts'
import { loginPathFor } from './lib/next-path.ts'
import { routes } from './routes.tsx'
import { ToastProvider } from './ui/index.ts'
import './styles.css'

const queryClient = createQueryClient()
const router = createBrowserRouter(routes)

/** Pages anyone may see; a lost session there needs no redirect. */
const PUBLIC = /^\/(login|signup|verify-email|forgot-password|reset-password)(\/|$)/

configureClient({
  csrfToken: () => queryClient.getQueryData<SessionData | null>(sessionKeys.current())?.csrf_token,
  onUnauthorized: () => {
    // STYLE-web rule 14: a 401 forgets everything cached, then login, coming back here after.
    queryClient.clear()
    queryClient.setQueryData(sessionKeys.current(), null)
    const { pathname, search, hash } = window.location
    if (!PUBLIC.test(pathname)) void router.navigate(loginPathFor(pathname, search, hash), { replace: true })
  },
})

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <RouterProvider router={router} />
      </ToastProvider>
    </QueryClientProvider>
  </StrictMode>,
)
