import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { resetServerPassword } from '../../../../domain/servers/reset-server-password.ts'
import { principalOf } from '../../../auth.ts'
import { withErrors } from '../../../schemas/common.ts'
import { ActionResponse, ServerActionBody } from './rebuild.schema.ts'

/** POST /API/servers/reset_password: queue a root password reset at SolusVM. */
export const resetPasswordRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.post(
      '/API/servers/reset_password',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'serverResetPassword',
          tags: ['servers'],
          summary:
            'Reset the root password; once the action is done, password_ready (reveal it once) or password_delivery email (SolusVM mailed a link)',
          body: ServerActionBody,
          response: withErrors({ 202: ActionResponse }, ['not_found', 'invalid_state', 'action_pending']),
        },
      },
      async (req, reply) => {
        const action = await resetServerPassword(deps, {
          principal: principalOf(req),
          requestId: req.id,
          userId: req.body.user_id,
          serverId: req.body.server_id,
        })
        return reply.status(202).send({ success: true as const, action })
      },
    )
  }
