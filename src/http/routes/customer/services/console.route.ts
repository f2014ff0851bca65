import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { openServerConsole } from '../../../../domain/servers/open-server-console.ts'
import { principalOf } from '../../../auth.ts'
import { PROVIDER, withErrors } from '../../../schemas/common.ts'
import { ConsoleResponse, ServerActionBody } from './rebuild.schema.ts'

/** POST /API/servers/console: a VNC console link (5 minutes) and its password, minted per request. */
export const consoleRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.post(
      '/API/servers/console',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'serverConsole',
          tags: ['servers'],
          summary: 'A VNC console link valid 5 minutes and its password, for a running server; open it in a new window',
          body: ServerActionBody,
          response: withErrors({ 200: ConsoleResponse }, ['not_found', 'invalid_state', 'action_pending', ...PROVIDER]),
        },
      },
      async (req, reply) => {
        const console = await openServerConsole(deps, {
          principal: principalOf(req),
          requestId: req.id,
          userId: req.body.user_id,
          serverId: req.body.server_id,
        })
        return reply.header('cache-control', 'no-store').send({ success: true as const, console })
      },
    )
  }
