import type { RouteObject } from 'react-router'
import '../portal.css'

/** /balance: balance, top-up, ledger and payments; one invoice by its track id. */
export const balanceRoutes: RouteObject[] = [
  { path: 'balance', lazy: async () => ({ Component: (await import('./BalancePage.tsx')).BalancePage }) },
  {
    path: 'balance/invoices/:trackId',
    lazy: async () => ({ Component: (await import('./InvoicePage.tsx')).InvoicePage }),
  },
]
