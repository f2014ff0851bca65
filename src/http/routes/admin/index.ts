import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../deps.ts'

/** The admin routes, registered by routes/index.ts. */
export function adminRoutes (_deps: Deps): FastifyPluginAsyncTypebox[] {
  return []
}
