import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { getBalance } from '../../../../domain/queries/get-balance.ts'
import { principalOf } from '../../../auth.ts'
import { withErrors } from '../../../schemas/common.ts'
import { BalanceQuery, BalanceResponse } from './account.schema.ts'

/** GET /API/balance: the balance of the caller (or, with an admin key, any user). */
export const balanceRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.get(
      '/API/balance',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'getBalance',
          tags: ['account'],
          summary: 'The balance of the caller (or, with an admin key, any user)',
          querystring: BalanceQuery,
          response: withErrors({ 200: BalanceResponse }, ['not_found']),
        },
      },
      async req => ({
        success: true as const,
        ...(await getBalance(deps.db, { principal: principalOf(req), userId: req.query.user_id })),
      }),
    )
  }
