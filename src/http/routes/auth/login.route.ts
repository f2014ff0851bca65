import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../deps.ts'
import { login } from '../../../domain/accounts/login.ts'
import { withErrors } from '../../schemas/common.ts'
import { sessionToken, setSessionCookie } from '../../session-cookie.ts'
import { LoginBody, NoQuery, SignedIn } from './auth.schema.ts'
import { clientInfo } from './client.ts'

/** POST /API/auth/login: password (and 2FA code) → a new session cookie and its CSRF token. */
export const loginRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.post(
      '/API/auth/login',
      {
        config: { auth: 'none' },
        schema: {
          operationId: 'login',
          tags: ['auth'],
          summary: 'Sign in with e-mail and password (and a 2FA code when on); sets the session cookie',
          querystring: NoQuery,
          body: LoginBody,
          response: withErrors({ 200: SignedIn }, [
            'invalid_credentials',
            'totp_required',
            'invalid_totp',
            'too_many_attempts',
          ]),
        },
      },
      async (req, reply) => {
        const presented = sessionToken(req)
        const { user, session } = await login(deps, {
          email: req.body.email,
          password: req.body.password,
          ...(req.body.totp_code !== undefined ? { totpCode: req.body.totp_code } : {}),
          ...(req.body.recovery_code !== undefined ? { recoveryCode: req.body.recovery_code } : {}),
          client: clientInfo(req),
          ...(presented !== undefined ? { presentedToken: presented } : {}),
        })
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
