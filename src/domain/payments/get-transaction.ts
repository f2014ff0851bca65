import type { Db } from '../../db/connect.ts'
import type { Principal } from '../auth/api-keys.ts'
import { notFound } from '../../lib/errors.ts'
import { transactionDetail } from './render.ts'

/** `GET /API/get_transation_by_track_id`: one of the caller's payments (an admin key: anyone's); 404 otherwise. */
export async function getTransaction(db: Db, principal: Principal, trackId: string) {
  let q = db
    .selectFrom('payments')
    .leftJoin('orders', 'orders.id', 'payments.order_id')
    .selectAll('payments')
    .select('orders.order_type')
    .where('payments.track_id', '=', trackId)
  if (!principal.isAdmin) q = q.where('payments.user_id', '=', principal.userId)
  const row = await q.executeTakeFirst()
  if (!row) throw notFound('transaction', trackId)
  const { order_type: orderType, ...payment } = row
  return { success: true, data: await transactionDetail(payment, orderType) }
}
