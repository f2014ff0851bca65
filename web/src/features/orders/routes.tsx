import type { RouteObject } from 'react-router'
import '../portal.css'

/** Ordering a VPS, and the customer's orders (list and one order). */
export const ordersRoutes: RouteObject[] = [
  { path: 'servers/new', lazy: async () => ({ Component: (await import('./OrderVpsPage.tsx')).OrderVpsPage }) },
  { path: 'orders', lazy: async () => ({ Component: (await import('./OrdersPage.tsx')).OrdersPage }) },
  { path: 'orders/:orderId', lazy: async () => ({ Component: (await import('./OrderPage.tsx')).OrderPage }) },
]
