import type { RouteObject } from 'react-router'
import '../portal.css'

/** The portal's home: balance, services and their expiry, recent orders and payments. */
export const dashboardRoutes: RouteObject[] = [
  { index: true, lazy: async () => ({ Component: (await import('./DashboardPage.tsx')).DashboardPage }) },
]
