import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { getUserInfo } from '../../../../domain/queries/get-user-info.ts'
import { principalOf } from '../../../auth.ts'
import { withErrors } from '../../../schemas/common.ts'
import { InfoUserQuery, InfoUserResponse } from './account.schema.ts'

/** GET /API/info_user: the caller (or, with an admin key, any user): profile and balance. */
export const infoUserRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.get(
      '/API/info_user',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'infoUser',
          tags: ['account'],
          summary: 'The caller (or, with an admin key, any user): profile and balance',
          querystring: InfoUserQuery,
          response: withErrors({ 200: InfoUserResponse }, ['not_found']),
        },
      },
      async req => ({
        success: true as const,
        user: await getUserInfo(deps.db, { principal: principalOf(req), userId: req.query.user_id }),
      }),
    )
  }
