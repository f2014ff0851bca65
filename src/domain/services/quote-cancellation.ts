import { requireUser } from '../access/authorize.ts'
import { cancelIn, type Cancellation, type CancelServiceInput } from './cancel-service.ts'
import type { Deps } from '../../deps.ts'

/** Carries the answer out of the transaction, which is rolled back so the preview leaves nothing behind. */
class Previewed extends Error {
  constructor(readonly cancellation: Cancellation) {
    super('cancellation previewed; rolling back')
  }
}

/**
 * What `POST /API/services/cancel` would do now, changing nothing (`POST /API/services/cancel/quote`):
 * the cancellation itself runs — same locks, refusals (another open order, a wrong status, someone
 * else's service) and refund — in a transaction that is always rolled back, as the order quote
 * does. No ledger row, period, job, event or audit record survives; an overdue unpaid order the
 * cancellation would cancel on its way is restored by the rollback.
 */
export async function quoteCancellation(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: CancelServiceInput,
): Promise<Cancellation> {
  const user = await requireUser(deps.db, input.principal, input.userId, 'use')
  try {
    await deps.db.transaction().execute(async trx => {
      const c = await cancelIn(trx, deps, input, {
        owner: user.id,
        refund: deps.config.cancelRefundUnused,
        reason: 'cancelled',
        action: 'service.cancel',
      })
      throw new Previewed(c)
    })
  } catch (err) {
    if (err instanceof Previewed) return err.cancellation
    throw err
  }
  throw new Error('the preview transaction ended without an answer')
}
