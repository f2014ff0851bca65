import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { reinstallServer } from '../../../../domain/servers/reinstall-server.ts'
import { principalOf } from '../../../auth.ts'
import { withErrors } from '../../../schemas/common.ts'
import { ReinstallBody, ReinstallResponse } from './rebuild.schema.ts'

/** POST /API/servers/reinstall: queue a reinstall; the answer carries the new root password, once. */
export const reinstallRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.post(
      '/API/servers/reinstall',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'serverReinstall',
          tags: ['servers'],
          summary:
            "Reinstall a server with one of its plan's OS images (its disk is erased); the new root password is in this answer only",
          body: ReinstallBody,
          response: withErrors({ 202: ReinstallResponse }, ['not_found', 'invalid_state', 'action_pending']),
        },
      },
      async (req, reply) => {
        const res = await reinstallServer(deps, {
          principal: principalOf(req),
          requestId: req.id,
          userId: req.body.user_id,
          serverId: req.body.server_id,
          osId: req.body.os_id,
        })
        return reply
          .status(202)
          .header('cache-control', 'no-store')
          .send({ success: true as const, action: res.action, root_password: res.rootPassword })
      },
    )
  }
