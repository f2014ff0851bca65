// The one route table (STYLE-web rule 1): a public tree and the portal tree behind the session
// guard. Each feature exports its route objects from features/<area>/routes.tsx; adding an area
// is one import and one spread below. Every branch has an error element; pages are lazy.
import type { RouteObject } from 'react-router'
import { PortalLayout, PublicLayout, RootLayout } from './app/Layouts.tsx'
import { RequireSession } from './app/RequireSession.tsx'
import { NotFoundPage, RouteError } from './app/RouteError.tsx'
import { Spinner } from './ui/index.ts'
import { accountRoutes } from './features/account/routes.tsx'
import { authRoutes } from './features/auth/routes.tsx'
import { balanceRoutes } from './features/balance/routes.tsx'
import { dashboardRoutes } from './features/dashboard/routes.tsx'
import { notificationsRoutes } from './features/notifications/routes.tsx'
import { ordersRoutes } from './features/orders/routes.tsx'
import { pleskRoutes } from './features/plesk/routes.tsx'
import { serversRoutes } from './features/servers/routes.tsx'

export const routes: RouteObject[] = [
  {
    element: <RootLayout />,
    errorElement: <RouteError />,
    // Shown while the first lazy page of a fresh load arrives.
    hydrateFallbackElement: <Spinner />,
    children: [
      {
        element: <PublicLayout />,
        errorElement: <RouteError />,
        children: [{ errorElement: <RouteError />, children: authRoutes }],
      },
      {
        element: <RequireSession />,
        errorElement: <RouteError />,
        children: [
          {
            element: <PortalLayout />,
            errorElement: <RouteError />,
            children: [
              {
                errorElement: <RouteError />,
                children: [
                  ...dashboardRoutes,
                  ...accountRoutes,
                  ...serversRoutes,
                  ...ordersRoutes,
                  ...balanceRoutes,
                  ...pleskRoutes,
                  ...notificationsRoutes,
                  { path: '*', element: <NotFoundPage /> },
                ],
              },
            ],
          },
        ],
      },
    ],
  },
]
