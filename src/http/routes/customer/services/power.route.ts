import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { requestPowerAction } from '../../../../domain/servers/request-power-action.ts'
import { principalOf } from '../../../auth.ts'
import { withErrors } from '../../../schemas/common.ts'
import { PowerBody, PowerResponse } from './power.schema.ts'

/** POST /API/servers/power: queue a power action on an active server; a job runs it at SolusVM. */
export const powerRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.post(
      '/API/servers/power',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'serverPower',
          tags: ['servers'],
          summary:
            'Start, stop (power off), shut down (graceful) or reboot a server; follow it in GET /API/servers/actions',
          body: PowerBody,
          response: withErrors({ 202: PowerResponse }, ['not_found', 'invalid_state', 'action_pending']),
        },
      },
      async (req, reply) => {
        const action = await requestPowerAction(deps, {
          principal: principalOf(req),
          requestId: req.id,
          userId: req.body.user_id,
          serverId: req.body.server_id,
          action: req.body.action,
        })
        return reply.status(202).send({ success: true as const, action })
      },
    )
  }
