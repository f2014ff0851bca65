import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { revealServerPassword } from '../../../../domain/servers/reveal-server-password.ts'
import { principalOf } from '../../../auth.ts'
import { withErrors } from '../../../schemas/common.ts'
import { RevealBody, RevealResponse } from './rebuild.schema.ts'

/** POST /API/servers/actions/reveal_password: the root password of a finished reset, once. */
export const revealPasswordRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.post(
      '/API/servers/actions/reveal_password',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'serverRevealPassword',
          tags: ['servers'],
          summary: 'Show the root password a finished reset_password got, once (a second call is 409 invalid_state)',
          body: RevealBody,
          response: withErrors({ 200: RevealResponse }, ['not_found', 'invalid_state']),
        },
      },
      async (req, reply) => {
        const password = await revealServerPassword(deps, {
          principal: principalOf(req),
          requestId: req.id,
          userId: req.body.user_id,
          serverId: req.body.server_id,
          actionId: req.body.action_id,
        })
        return reply.header('cache-control', 'no-store').send({ success: true as const, root_password: password })
      },
    )
  }
