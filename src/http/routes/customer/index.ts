import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../deps.ts'

/** The customer routes, registered by routes/index.ts. */
export function customerRoutes (_deps: Deps): FastifyPluginAsyncTypebox[] {
  return []
}
