import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { createLoginLink } from '../../../../domain/plesk/create-login-link.ts'
import { principalOf } from '../../../auth.ts'
import { PROVIDER, withErrors } from '../../../schemas/common.ts'
import { PleskLoginBody, PleskLoginResponse } from './actions.schema.ts'

/**
 * POST /API/plesk/login: a one-time link into the Plesk panel, bound to the caller's IP. `req.ip`
 * is the socket's address unless TRUST_PROXY names the proxy in front (then its X-Forwarded-For
 * hop), so a client cannot bind the link to an address of its choosing. The answer is a
 * credential: not cached, not sent on as a referrer.
 */
export const pleskLoginRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.post(
      '/API/plesk/login',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'pleskLogin',
          tags: ['plesk'],
          summary: "A one-time link into the Plesk panel as the subscription's customer, for the caller's IP",
          body: PleskLoginBody,
          response: withErrors({ 200: PleskLoginResponse }, ['not_found', 'invalid_state', ...PROVIDER]),
        },
      },
      async (req, reply) => {
        const link = await createLoginLink(deps, {
          principal: principalOf(req),
          requestId: req.id,
          userId: req.body.user_id,
          subscriptionId: req.body.subscription_id,
          clientIp: req.ip,
        })
        void reply.header('Cache-Control', 'no-store').header('Referrer-Policy', 'no-referrer')
        return { success: true as const, ...link }
      },
    )
  }
