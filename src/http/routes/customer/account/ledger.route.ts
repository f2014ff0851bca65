import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { listLedger } from '../../../../domain/queries/list-ledger.ts'
import { principalOf } from '../../../auth.ts'
import { withErrors } from '../../../schemas/common.ts'
import { pageOf } from '../../../schemas/paging.ts'
import { PagedUserQuery } from '../shared.schema.ts'
import { LedgerResponse } from './account.schema.ts'

/** GET /API/balance/ledger: every balance movement, newest first, with the balance after it. */
export const ledgerRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.get(
      '/API/balance/ledger',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'listLedger',
          tags: ['account'],
          summary: 'Every balance movement, newest first, with the balance after it',
          querystring: PagedUserQuery,
          response: withErrors({ 200: LedgerResponse }, ['not_found']),
        },
      },
      async req => ({
        success: true,
        ...(await listLedger(deps.db, {
          principal: principalOf(req),
          userId: req.query.user_id,
          page: pageOf(req.query),
        })),
      }),
    )
  }
