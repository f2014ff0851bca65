import type { Payment } from '../../db/schema.ts'
import type { Deps } from '../../deps.ts'
import { newUuid } from '../../lib/ids.ts'
import type { Principal } from '../auth/api-keys.ts'
import { requireActiveUser, requireUser } from '../access/authorize.ts'
import { validation } from '../../lib/errors.ts'
import { formatAmount, type Cents } from '../../lib/money.ts'
import { ensureInvoice, type CoinChoice } from './create-invoice.ts'
import { assertOpenInvoiceCap } from './open-invoice-cap.ts'

/** Limits of one balance top-up, EUR cents. */
export const MIN_TOP_UP: Cents = 100n
export const MAX_TOP_UP: Cents = 1_000_000n

/**
 * A balance top-up (RECHARGE): a payment without an order and its OxaPay invoice. What arrives is
 * credited to the balance by the same settlement as order payments (OxaPay's `paid` within the
 * invoice's coverage credits the full amount); nothing else happens. It counts towards the
 * customer's open-invoice cap like a crypto order. Paid in the coin the client names (`choice`),
 * else the operator's default; a coin OxaPay refuses is a 400 and leaves nothing behind.
 */
export async function topUpBalance(
  deps: Deps,
  caller: { principal: Principal; ip?: string },
  input: { userId: string; amount: Cents; choice?: CoinChoice },
): Promise<Payment> {
  const user = await requireUser(deps.db, caller.principal, input.userId, 'use')
  if (input.amount < MIN_TOP_UP || input.amount > MAX_TOP_UP) {
    throw validation(`amount must be from ${formatAmount(MIN_TOP_UP)} to ${formatAmount(MAX_TOP_UP)} EUR`, 'amount')
  }
  const id = newUuid()
  await deps.db.transaction().execute(async trx => {
    await requireActiveUser(trx, caller.principal, user.id)
    await assertOpenInvoiceCap(trx, deps.config, user.id)
    await trx
      .insertInto('payments')
      .values({
        id,
        user_id: user.id,
        order_id: null,
        type: 'RECHARGE',
        amount_cents: input.amount,
        lifetime_minutes: deps.config.invoiceLifetimeMinutes,
        description: 'Funds recharge',
        ip_address: caller.ip ?? null,
        pay_currency: input.choice?.payCurrency ?? null,
        requested_network: input.choice?.network ?? null,
      })
      .execute()
  })
  return input.choice === undefined
    ? ensureInvoice(deps, id)
    : ensureInvoice(deps, id, { choice: input.choice, discardOnRefusal: true })
}
