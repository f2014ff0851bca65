import type { RouteObject } from 'react-router'
import '../portal.css'

/** /notifications: webhooks and mail; one webhook endpoint with its delivery log. */
export const notificationsRoutes: RouteObject[] = [
  {
    path: 'notifications',
    lazy: async () => ({ Component: (await import('./NotificationsPage.tsx')).NotificationsPage }),
  },
  {
    path: 'notifications/webhooks/:endpointId',
    lazy: async () => ({ Component: (await import('./WebhookPage.tsx')).WebhookPage }),
  },
]
