import type { Expression, ExpressionBuilder, SqlBool, UpdateObject } from 'kysely'
import type { Db } from '../../db/connect.ts'
import type { Database } from '../../db/schema.ts'
import type { PaymentStatus } from '../../db/states.ts'
import { checkMove, moved, type Machine, type Move } from './transition.ts'

/**
 * A payment follows OxaPay's status and only forward (`nextStatus` in payments/observation.ts:
 * new → waiting → paying → expired/underpaid → paid/manual_accept → refunding → refunded; a
 * `paid` after `expired` wins). Staying put is a move too: an observation that brings money or a
 * transaction under the same status rewrites the row. Reconciliation expires open payments.
 */
export const PAYMENT: Machine<PaymentStatus> = {
  name: 'payment',
  initial: ['new'],
  moves: {
    new: ['new', 'waiting', 'paying', 'expired', 'underpaid', 'paid', 'manual_accept', 'refunding', 'refunded'],
    waiting: ['waiting', 'paying', 'expired', 'underpaid', 'paid', 'manual_accept', 'refunding', 'refunded'],
    paying: ['paying', 'expired', 'underpaid', 'paid', 'manual_accept', 'refunding', 'refunded'],
    expired: ['expired', 'paid', 'manual_accept', 'refunding', 'refunded'],
    underpaid: ['underpaid', 'paid', 'manual_accept', 'refunding', 'refunded'],
    paid: ['paid', 'refunding', 'refunded'],
    manual_accept: ['manual_accept', 'refunding', 'refunded'],
    refunding: ['refunding', 'refunded'],
    refunded: ['refunded'],
  },
}

type Extra = Omit<UpdateObject<Database, 'payments'>, 'status' | 'updated_at'>

/** Moves every payment `where` selects that is in `from` (reconciliation's expiries); returns how many moved. */
export async function movePayments(
  trx: Db,
  where: (eb: ExpressionBuilder<Database, 'payments'>) => Expression<SqlBool>,
  move: Move<PaymentStatus, Extra>,
): Promise<number> {
  const from = checkMove(PAYMENT, move)
  const res = await trx
    .updateTable('payments')
    .set({ ...move.set, status: move.to, updated_at: move.now })
    .where('status', 'in', from)
    .where(where)
    .executeTakeFirst()
  return Number(res.numUpdatedRows)
}

/** Moves payment `id` (see `Move`). True when it moved. */
export async function movePayment(trx: Db, id: string, move: Move<PaymentStatus, Extra>): Promise<boolean> {
  const n = await movePayments(trx, eb => eb('id', '=', id), { ...move, required: false })
  return moved(PAYMENT, id, move, BigInt(n))
}
