import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { setServerRescue } from '../../../../domain/servers/set-server-rescue.ts'
import { principalOf } from '../../../auth.ts'
import { withErrors } from '../../../schemas/common.ts'
import { ActionResponse, RescueBody } from './rebuild.schema.ts'

/** POST /API/servers/rescue: boot the rescue image (enabled) or the disk again; the VM restarts. */
export const rescueRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.post(
      '/API/servers/rescue',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'serverRescue',
          tags: ['servers'],
          summary:
            'Rescue mode on (boot the rescue image) or off (boot the disk); the VM restarts. GET /API/servers/detail shows boot_mode',
          body: RescueBody,
          response: withErrors({ 202: ActionResponse }, ['not_found', 'invalid_state', 'action_pending']),
        },
      },
      async (req, reply) => {
        const action = await setServerRescue(deps, {
          principal: principalOf(req),
          requestId: req.id,
          userId: req.body.user_id,
          serverId: req.body.server_id,
          enabled: req.body.enabled,
        })
        return reply.status(202).send({ success: true as const, action })
      },
    )
  }
