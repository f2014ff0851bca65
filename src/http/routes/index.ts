import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../deps.ts'
import { createOrderRoute } from './orders/create-order.route.ts'
import { createOrderAddonRoute } from './orders/create-order-addon.route.ts'
import { createOrderPleskRoute } from './orders/create-order-plesk.route.ts'
import { createOrderScalePleskRoute } from './orders/create-order-scale-plesk.route.ts'
import { quoteRoute } from './orders/quote.route.ts'
import { customerRoutes } from './customer/index.ts'
import { authRoutes } from './auth/index.ts'
import { adminRoutes } from './admin/index.ts'
import { paymentsRoutes } from './payments/index.ts'
import { notificationRoutes } from './webhooks/index.ts'
import { devRoutes } from './dev/index.ts'
import { brandingRoute } from './branding/branding.route.ts'

/** Every route of the API, in one list; each area keeps its own list in its index.ts. */
export function routes(deps: Deps): FastifyPluginAsyncTypebox[] {
  return [
    createOrderRoute(deps),
    createOrderAddonRoute(deps),
    createOrderPleskRoute(deps),
    createOrderScalePleskRoute(deps),
    quoteRoute(deps),
    ...authRoutes(deps),
    ...customerRoutes(deps),
    ...adminRoutes(deps),
    ...paymentsRoutes(deps),
    ...notificationRoutes(deps),
    ...devRoutes(deps),
    brandingRoute(deps),
  ]
}
