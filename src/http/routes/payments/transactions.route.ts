import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../deps.ts'
import { getTransaction } from '../../../domain/payments/get-transaction.ts'
import { listTransactions } from '../../../domain/payments/list-transactions.ts'
import { principalOf } from '../../auth.ts'
import { withErrors } from '../../schemas/common.ts'
import { pageOf } from '../../schemas/paging.ts'
import {
  ListTransactionsQuery,
  ListTransactionsResponse,
  TrackIdQuery,
  TransactionResponse,
} from './payments.schema.ts'

/** The docs' default page size for transactions (§3.22). */
const DEFAULT_PER_PAGE = 10

export const transactionsRoutes =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    // The path keeps the docs' spelling ("transation"), since clients call it so.
    app.get(
      '/API/get_transation_by_track_id',
      {
        schema: {
          operationId: 'getTransactionByTrackId',
          tags: ['payments'],
          summary: 'One of your crypto transactions by its OxaPay track id',
          querystring: TrackIdQuery,
          response: withErrors({ 200: TransactionResponse }, ['not_found']),
        },
      },
      async req => getTransaction(deps.db, principalOf(req), req.query.track_id),
    )

    app.get(
      '/API/list_transactions',
      {
        schema: {
          operationId: 'listTransactions',
          tags: ['payments'],
          summary: 'Your crypto transactions (invoices and top-ups), newest first, paged',
          querystring: ListTransactionsQuery,
          response: withErrors({ 200: ListTransactionsResponse }),
        },
      },
      async req => {
        const q = req.query
        return listTransactions(
          deps.db,
          principalOf(req),
          { userId: q.user_id },
          pageOf({ page: q.page, per_page: q.per_page ?? DEFAULT_PER_PAGE }),
        )
      },
    )
  }
