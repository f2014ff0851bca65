import type { Db } from '../../db/connect.ts'
import type { ServicePeriodsTable } from '../../db/schema.ts'
import { newId } from '../../lib/ids.ts'
import type { Cents } from '../../lib/money.ts'

export interface PeriodInput {
  userId: string
  serviceKind: ServicePeriodsTable['service_kind']
  serviceId: string
  orderId: string | null
  kind: ServicePeriodsTable['kind']
  planId: string
  startsAt: Date
  endsAt: Date
  /** Net price of the period: what the order took after credits. */
  amount: Cents
}

/**
 * Records what a completed order delivered, in the transaction that completes it (and that moves
 * the service's expiry to `endsAt`). `oxbill audit` replays these against each service.
 */
export async function recordPeriod(trx: Db, p: PeriodInput): Promise<void> {
  await trx
    .insertInto('service_periods')
    .values({
      id: newId('period'),
      user_id: p.userId,
      service_kind: p.serviceKind,
      service_id: p.serviceId,
      order_id: p.orderId,
      kind: p.kind,
      plan_id: p.planId,
      starts_at: p.startsAt,
      ends_at: p.endsAt,
      amount_cents: p.amount,
    })
    .execute()
}
