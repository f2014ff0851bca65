import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../deps.ts'
import { confirmPasswordReset } from '../../../domain/accounts/confirm-password-reset.ts'
import { requestPasswordReset } from '../../../domain/accounts/request-password-reset.ts'
import { withErrors } from '../../schemas/common.ts'
import { Accepted, NoQuery, Ok, PasswordResetBody, PasswordResetConfirmBody } from './auth.schema.ts'

export const RESET_ACCEPTED = 'if this address has an account, a link to choose a new password is on its way'

/** "Forgot password": a mailed single-use link (1 h), then the new password; every session ends. */
export const passwordResetRoutes =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.post(
      '/API/auth/password-reset',
      {
        config: { auth: 'none' },
        schema: {
          operationId: 'requestPasswordReset',
          tags: ['auth'],
          summary: 'Mail a password-reset link (the same 202 whether the address has an account or not)',
          querystring: NoQuery,
          body: PasswordResetBody,
          response: withErrors({ 202: Accepted }),
        },
      },
      async (req, reply) => {
        await requestPasswordReset(deps, req.body)
        return reply.code(202).send({ success: true, message: RESET_ACCEPTED })
      },
    )

    app.post(
      '/API/auth/password-reset/confirm',
      {
        config: { auth: 'none' },
        schema: {
          operationId: 'confirmPasswordReset',
          tags: ['auth'],
          summary: 'Set a new password with the mailed token; signs out every session of the account',
          querystring: NoQuery,
          body: PasswordResetConfirmBody,
          response: withErrors({ 200: Ok }, ['invalid_token', 'weak_password']),
        },
      },
      async req => {
        await confirmPasswordReset(deps, req.body)
        return { success: true as const }
      },
    )
  }
