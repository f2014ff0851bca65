import type { Db } from '../../db/connect.ts'
import type { Principal } from '../auth/api-keys.ts'
import { notFound } from '../../lib/errors.ts'
import { ownedBy } from '../access/authorize.ts'
import { transactionDetail } from './render.ts'

/** `GET /API/get_transation_by_track_id`: one of the caller's payments (an admin key: anyone's); 404 otherwise. */
export async function getTransaction(db: Db, principal: Principal, trackId: string) {
  const row = await db
    .selectFrom('payments')
    .leftJoin('orders', 'orders.id', 'payments.order_id')
    .selectAll('payments')
    .select('orders.order_type')
    .where('payments.track_id', '=', trackId)
    .executeTakeFirst()
  if (!row || !ownedBy(principal, row)) throw notFound('transaction', trackId)
  const { order_type: orderType, ...payment } = row
  return { success: true, data: await transactionDetail(payment, orderType) }
}
