import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../deps.ts'
import { adjustUserBalance } from '../../../domain/admin/adjust-user-balance.ts'
import { listLedger } from '../../../domain/admin/list-ledger.ts'
import { pageOf } from '../../schemas/paging.ts'
import { adminMeta } from './meta.ts'
import { NoQuery, responses } from './common.schema.ts'
import { AdjustBalanceBody, AdjustBalanceResponse, LedgerQuery, LedgerResponse, UserParams } from './users.schema.ts'

const admin = { auth: 'admin' as const }
const tags = ['admin']

/** Balance adjustments (always a ledger entry) and a user's ledger. */
export const adminBalanceRoutes =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.post(
      '/API/admin/balance-adjustments',
      {
        config: admin,
        schema: {
          operationId: 'adminAdjustBalance',
          tags,
          summary: 'Credit or debit a balance with a reason; never below zero (402)',
          body: AdjustBalanceBody,
          querystring: NoQuery,
          response: responses({ 201: AdjustBalanceResponse }, ['not_found', 'insufficient_balance']),
        },
      },
      async (req, reply) => {
        const res = await adjustUserBalance(deps.db, adminMeta(req), {
          userId: req.body.user_id,
          amount: req.body.amount,
          reason: req.body.reason,
        })
        return reply.code(201).send({ success: true, ...res })
      },
    )

    app.get(
      '/API/admin/users/:user_id/ledger',
      {
        config: admin,
        schema: {
          operationId: 'adminListUserLedger',
          tags,
          summary: "A user's ledger, newest first",
          params: UserParams,
          querystring: LedgerQuery,
          response: responses({ 200: LedgerResponse }),
        },
      },
      async req => ({ success: true, ...(await listLedger(deps.db, req.params.user_id, pageOf(req.query))) }),
    )
  }
