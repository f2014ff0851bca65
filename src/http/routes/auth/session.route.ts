import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../deps.ts'
import { getSession } from '../../../domain/accounts/get-session.ts'
import { revokeSession } from '../../../domain/accounts/revoke-session.ts'
import { principalOf } from '../../auth.ts'
import { withErrors } from '../../schemas/common.ts'
import { clearSessionCookie } from '../../session-cookie.ts'
import { NoQuery, Ok, SessionResponse } from './auth.schema.ts'

/** Who is signed in, and sign out. */
export const sessionRoutes =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.get(
      '/API/auth/session',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'getSession',
          tags: ['auth'],
          summary: 'The signed-in user, the CSRF token and the session (null for both with an API key)',
          querystring: NoQuery,
          response: withErrors({ 200: SessionResponse }),
        },
      },
      async req => ({
        success: true as const,
        ...(await getSession(deps, { principal: principalOf(req) })),
        csrf_token: req.sessionCsrf ?? null,
      }),
    )

    app.post(
      '/API/auth/logout',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'logout',
          tags: ['auth'],
          summary: 'End the current session and clear its cookie (with an API key: nothing to end)',
          querystring: NoQuery,
          response: withErrors({ 200: Ok }),
        },
      },
      async (req, reply) => {
        const principal = principalOf(req)
        if (principal.sessionId !== undefined) {
          await revokeSession(deps, { principal, sessionId: principal.sessionId })
        }
        clearSessionCookie(req, reply, deps.config.accounts.sessionCookieSecure)
        return { success: true as const }
      },
    )
  }
