import type { RouteObject } from 'react-router'

/** /account: profile and billing, security (password, 2FA), sessions, API keys; one URL per section. */
export const accountRoutes: RouteObject[] = [
  {
    path: 'account',
    lazy: async () => ({ Component: (await import('./AccountLayout.tsx')).AccountLayout }),
    children: [
      { index: true, lazy: async () => ({ Component: (await import('./ProfilePage.tsx')).ProfilePage }) },
      { path: 'security', lazy: async () => ({ Component: (await import('./SecurityPage.tsx')).SecurityPage }) },
      { path: 'sessions', lazy: async () => ({ Component: (await import('./SessionsPage.tsx')).SessionsPage }) },
      { path: 'keys', lazy: async () => ({ Component: (await import('./KeysPage.tsx')).KeysPage }) },
    ],
  },
]
