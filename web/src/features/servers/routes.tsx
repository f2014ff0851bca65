import type { RouteObject } from 'react-router'
import '../portal.css'

/** /servers: the list, one server, its console (noVNC), and the orders placed from it (extension, plan, addon). */
export const serversRoutes: RouteObject[] = [
  { path: 'servers', lazy: async () => ({ Component: (await import('./ServersPage.tsx')).ServersPage }) },
  { path: 'servers/:serverId', lazy: async () => ({ Component: (await import('./ServerPage.tsx')).ServerPage }) },
  {
    // noVNC is most of this page's code: its own chunk, loaded only here.
    path: 'servers/:serverId/console',
    lazy: async () => ({ Component: (await import('./ConsolePage.tsx')).ConsolePage }),
  },
  {
    path: 'servers/:serverId/extend',
    lazy: async () => ({ Component: (await import('./ServerOrderPages.tsx')).ExtendServerPage }),
  },
  {
    path: 'servers/:serverId/plan',
    lazy: async () => ({ Component: (await import('./ServerOrderPages.tsx')).ChangePlanPage }),
  },
  {
    path: 'servers/:serverId/addon',
    lazy: async () => ({ Component: (await import('./ServerOrderPages.tsx')).OrderAddonPage }),
  },
]
