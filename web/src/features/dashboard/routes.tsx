import type { RouteObject } from 'react-router'

// The portal's home. A placeholder until the dashboard feature lands (it replaces this file).
export const dashboardRoutes: RouteObject[] = [
  { index: true, lazy: async () => ({ Component: (await import('./DashboardPage.tsx')).DashboardPage }) },
]
