import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../deps.ts'
import { verifyEmail } from '../../../domain/accounts/verify-email.ts'
import { revokeSessionByToken } from '../../../domain/auth/sessions.ts'
import { withErrors } from '../../schemas/common.ts'
import { sessionToken, setSessionCookie } from '../../session-cookie.ts'
import { NoQuery, SignedIn, VerifyEmailBody } from './auth.schema.ts'
import { clientInfo } from './client.ts'

/** POST /API/auth/verify-email: confirms the address from the mailed link and signs in (a new session). */
export const verifyEmailRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.post(
      '/API/auth/verify-email',
      {
        config: { auth: 'none' },
        schema: {
          operationId: 'verifyEmail',
          tags: ['auth'],
          summary: 'Confirm the e-mail address with the mailed token; signs in (Set-Cookie oxbill_session)',
          querystring: NoQuery,
          body: VerifyEmailBody,
          response: withErrors({ 200: SignedIn }, ['invalid_token']),
        },
      },
      async (req, reply) => {
        const { user, session } = await verifyEmail(deps, { token: req.body.token, client: clientInfo(req) })
        const presented = sessionToken(req)
        if (presented !== undefined) await revokeSessionByToken(deps.db, presented, deps.clock.now())
        setSessionCookie(
          req,
          reply,
          deps.config.accounts.sessionCookieSecure,
          session.token,
          session.expiresAt,
          session.createdAt,
        )
        return { success: true as const, user, csrf_token: session.csrfToken }
      },
    )
  }
