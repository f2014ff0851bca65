import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../deps.ts'
import { devMailRoutes } from './mail.route.ts'

/** Developer pages of zero-setup mode, registered by routes/index.ts; none unless their fake runs. */
export function devRoutes(deps: Deps): FastifyPluginAsyncTypebox[] {
  return deps.devMail ? [devMailRoutes(deps)] : []
}
