import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../deps.ts'

/** The payments routes, registered by routes/index.ts. */
export function paymentsRoutes (_deps: Deps): FastifyPluginAsyncTypebox[] {
  return []
}
