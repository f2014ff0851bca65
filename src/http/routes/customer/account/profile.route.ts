import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { getProfile } from '../../../../domain/accounts/get-profile.ts'
import { updateProfile } from '../../../../domain/accounts/update-profile.ts'
import { principalOf } from '../../../auth.ts'
import { withErrors } from '../../../schemas/common.ts'
import { NoQuery, ProfilePatchBody, ProfileResponse } from './settings.schema.ts'

/** GET/PATCH /API/account/profile: name, Telegram and billing details. */
export const profileRoutes =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.get(
      '/API/account/profile',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'getProfile',
          tags: ['account'],
          summary: 'Your profile and billing details',
          querystring: NoQuery,
          response: withErrors({ 200: ProfileResponse }),
        },
      },
      async req => ({ success: true as const, profile: await getProfile(deps, { principal: principalOf(req) }) }),
    )

    app.patch(
      '/API/account/profile',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'updateProfile',
          tags: ['account'],
          summary: 'Change the fields sent (null or "" clears an optional one); the e-mail cannot change yet',
          querystring: NoQuery,
          body: ProfilePatchBody,
          response: withErrors({ 200: ProfileResponse }),
        },
      },
      async req => ({
        success: true as const,
        profile: await updateProfile(deps, { principal: principalOf(req), patch: req.body }),
      }),
    )
  }
