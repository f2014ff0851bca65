import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../deps.ts'
import { adminUsersRoutes } from './users.route.ts'
import { adminKeysRoutes } from './keys.route.ts'
import { adminBalanceRoutes } from './balance.route.ts'
import { adminCatalogRoutes } from './catalog.route.ts'
import { adminOverviewRoutes } from './overview.route.ts'
import { adminJobsRoutes } from './jobs.route.ts'
import { adminEventsRoutes } from './events.route.ts'
import { adminPleskRoutes } from './plesk.route.ts'
import { adminServicesRoutes } from './services.route.ts'

/** The admin routes (every one `auth: 'admin'`: a customer key gets 403), registered by routes/index.ts. */
export function adminRoutes(deps: Deps): FastifyPluginAsyncTypebox[] {
  return [
    adminUsersRoutes(deps),
    adminKeysRoutes(deps),
    adminBalanceRoutes(deps),
    ...adminCatalogRoutes(deps),
    adminOverviewRoutes(deps),
    adminJobsRoutes(deps),
    adminEventsRoutes(deps),
    adminPleskRoutes(deps),
    adminServicesRoutes(deps),
  ]
}
