import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../deps.ts'
import { signupRoute } from './signup.route.ts'
import { verifyEmailRoute } from './verify-email.route.ts'
import { loginRoute } from './login.route.ts'
import { passwordResetRoutes } from './password-reset.route.ts'
import { sessionRoutes } from './session.route.ts'
import { sessionsRoutes } from './sessions.route.ts'

/** Signup, login and the cookie sessions (issue 12), registered by routes/index.ts. */
export function authRoutes(deps: Deps): FastifyPluginAsyncTypebox[] {
  return [
    signupRoute(deps),
    verifyEmailRoute(deps),
    loginRoute(deps),
    passwordResetRoutes(deps),
    sessionRoutes(deps),
    sessionsRoutes(deps),
  ]
}
