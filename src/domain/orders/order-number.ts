import { sql } from 'kysely'
import type { Db } from '../../db/connect.ts'

/** Order number prefixes, following the docs (`PLK_YYYYMMDD_NNNNNN`, `PLK_RENEW_…`, `CLOUD_…`). */
export const OrderPrefix = {
  new_server: 'CLOUD',
  scale_server: 'CLOUD_SCALE',
  renew_server: 'CLOUD_RENEW',
  addon: 'ADDON',
  plesk: 'PLK',
  plesk_renew: 'PLK_RENEW',
  top_up: 'RECHARGE',
} as const
export type OrderType = keyof typeof OrderPrefix

/** Next order number for `type` on `date`: a global sequence keeps numbers unique across instances. */
export async function nextOrderNumber(trx: Db, type: OrderType, date: Date): Promise<string> {
  const { rows } = await sql<{ n: bigint }>`SELECT nextval('order_number_seq') AS n`.execute(trx)
  const ymd = date.toISOString().slice(0, 10).replaceAll('-', '')
  return `${OrderPrefix[type]}_${ymd}_${String(rows[0]!.n).padStart(6, '0')}`
}
