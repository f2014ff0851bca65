import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { changePassword } from '../../../../domain/accounts/change-password.ts'
import { principalOf } from '../../../auth.ts'
import { clientAddress } from '../../../rate-limit.ts'
import { withErrors } from '../../../schemas/common.ts'
import { ChangePasswordBody, NoQuery, Ok } from './settings.schema.ts'

/** POST /API/account/password: a new password; every other session of the account ends. */
export const passwordRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.post(
      '/API/account/password',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'changePassword',
          tags: ['account'],
          summary: 'Change the password (the current one is needed); signs out your other sessions',
          querystring: NoQuery,
          body: ChangePasswordBody,
          response: withErrors({ 200: Ok }, ['invalid_credentials', 'weak_password', 'too_many_attempts']),
        },
      },
      async req => {
        await changePassword(deps, {
          principal: principalOf(req),
          currentPassword: req.body.current_password,
          newPassword: req.body.new_password,
          clientAddress: clientAddress(req.ip),
        })
        return { success: true as const }
      },
    )
  }
