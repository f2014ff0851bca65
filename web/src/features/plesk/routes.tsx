import type { RouteObject } from 'react-router'
import '../portal.css'

/** /plesk: subscriptions and clients, a new client, a hosting order, one subscription. */
export const pleskRoutes: RouteObject[] = [
  { path: 'plesk', lazy: async () => ({ Component: (await import('./PleskPage.tsx')).PleskPage }) },
  { path: 'plesk/new', lazy: async () => ({ Component: (await import('./OrderPleskPage.tsx')).OrderPleskPage }) },
  {
    path: 'plesk/clients/new',
    lazy: async () => ({ Component: (await import('./NewClientPage.tsx')).NewClientPage }),
  },
  {
    path: 'plesk/subscriptions/:subscriptionId',
    lazy: async () => ({ Component: (await import('./SubscriptionPage.tsx')).SubscriptionPage }),
  },
]
