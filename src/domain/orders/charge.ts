import type { Db } from '../../db/connect.ts'
import type { Deps } from '../../deps.ts'
import { newUuid } from '../../lib/ids.ts'
import { debit } from '../billing/ledger.ts'
import type { Cents } from '../../lib/money.ts'
import type { PaymentMethod } from '../../db/states.ts'
import { assertOpenInvoiceCap } from '../payments/open-invoice-cap.ts'
import { inactiveUser, requireActiveUser } from '../access/authorize.ts'
import type { Principal } from '../auth/api-keys.ts'

/** How an order is paid (`type_payment`): one source of the values, `db/states.ts`. */
export type { PaymentMethod }

/** The status of orders, new service rows and the order's job while a crypto invoice is unpaid. */
export const PENDING_PAYMENT = 'pending_payment'

export interface ChargeInput {
  userId: string
  /** Who orders: the user must be active when the order commits (401 for their own key, else 404). */
  principal: Principal
  orderId: string
  orderNumber: string
  /** Ledger reason of a balance debit ("CLOUD_…: VPS S"). */
  reason: string
  actor: string
  /** What the payer reads on OxaPay's page. */
  description: string
  ip?: string
  /** The order's time: the payment deadline counts from it. */
  now: Date
  /** The expiry of the existing service the order acts on: an unpaid order ends there at the latest. */
  serviceExpiresAt?: Date
}

/**
 * The one difference between a balance and a crypto order, shared by the order use-cases.
 * Balance: `pay` debits now and statuses are the usual ones. Crypto: `pay` writes the payment
 * intent (no OxaPay call inside the transaction: the invoice is created after commit), the order
 * and its new service rows are `pending_payment`, and its job is `blocked` until the invoice is
 * paid (settlement then debits the order from the credited balance and releases the job).
 * A crypto order that costs nothing (a downgrade) has nothing to pay and behaves like balance.
 */
export interface Charge {
  readonly method: PaymentMethod
  /** True while the order waits for a crypto payment. */
  readonly pending: boolean
  /** `whenPaid` for balance orders, `pending_payment` for crypto ones. */
  status<S extends string>(whenPaid: S): S | typeof PENDING_PAYMENT
  readonly jobState: 'pending' | 'blocked'
  /** Debits the balance, or writes the payment row; returns the payment id for crypto. */
  pay(trx: Db, input: ChargeInput): Promise<string | undefined>
}

/** The charge of one order of `amount` paid by `method`. */
export function chargeFor(deps: Pick<Deps, 'config'>, method: PaymentMethod | undefined, amount: Cents): Charge {
  const pending = method === 'crypto' && amount > 0n
  return {
    method: method ?? 'balance',
    pending,
    status: whenPaid => (pending ? PENDING_PAYMENT : whenPaid),
    jobState: pending ? 'blocked' : 'pending',
    async pay(trx, input) {
      if (!pending) {
        if (amount > 0n) {
          await debit(trx, {
            userId: input.userId,
            amount,
            kind: 'order_debit',
            orderId: input.orderId,
            reason: input.reason,
            actor: input.actor,
            whenInactive: () => inactiveUser(input.principal, input.userId),
          })
        } else await requireActiveUser(trx, input.principal, input.userId)
        return undefined
      }
      await requireActiveUser(trx, input.principal, input.userId)
      await assertOpenInvoiceCap(trx, deps.config, input.userId)
      const paymentId = newUuid()
      const deadline = paymentDeadline(input.now, deps.config.invoiceLifetimeMinutes, input.serviceExpiresAt)
      await trx.updateTable('orders').set({ pay_by: deadline.payBy }).where('id', '=', input.orderId).execute()
      await trx
        .insertInto('payments')
        .values({
          id: paymentId,
          user_id: input.userId,
          order_id: input.orderId,
          type: 'ORDER',
          amount_cents: amount,
          lifetime_minutes: deadline.lifetimeMinutes,
          description: `${input.orderNumber}: ${input.description}`.slice(0, 200),
          ip_address: input.ip ?? null,
        })
        .execute()
      return paymentId
    },
  }
}

/** OxaPay's shortest invoice lifetime. */
export const MIN_INVOICE_MINUTES = 15

/**
 * When an unpaid order ends: one invoice lifetime after it was placed, or when the service it acts
 * on expires if that is sooner (its quote is for a term that would have started then). Re-issuing
 * the invoice never moves it. The invoice lives until then, but not less than OxaPay's minimum:
 * money that arrives after the deadline stays on the balance.
 */
export function paymentDeadline(
  from: Date,
  lifetimeMinutes: number,
  serviceExpiresAt?: Date,
): { payBy: Date; lifetimeMinutes: number } {
  const full = new Date(from.getTime() + lifetimeMinutes * 60_000)
  const payBy =
    serviceExpiresAt !== undefined && serviceExpiresAt > from && serviceExpiresAt < full ? serviceExpiresAt : full
  return { payBy, lifetimeMinutes: invoiceMinutesUntil(payBy, from, lifetimeMinutes) }
}

/** Minutes an invoice issued at `now` may live so that it ends at `payBy` (within OxaPay's bounds). */
export function invoiceMinutesUntil(payBy: Date, now: Date, maxMinutes: number): number {
  const minutes = Math.ceil((payBy.getTime() - now.getTime()) / 60_000)
  return Math.min(maxMinutes, Math.max(MIN_INVOICE_MINUTES, minutes))
}
