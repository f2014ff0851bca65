import type { Db } from '../../db/connect.ts'
import type { Deps } from '../../deps.ts'
import { newUuid } from '../../lib/ids.ts'
import { debit } from '../billing/ledger.ts'
import type { Cents } from '../money.ts'

/** How an order is paid (`type_payment`): from the balance now, or by a crypto invoice later. */
export type PaymentMethod = 'balance' | 'crypto'

/** The status of orders, new service rows and the order's job while a crypto invoice is unpaid. */
export const PENDING_PAYMENT = 'pending_payment'

export interface ChargeInput {
  userId: string
  orderId: string
  orderNumber: string
  /** Ledger reason of a balance debit ("CLOUD_…: VPS S"). */
  reason: string
  actor: string
  /** What the payer reads on OxaPay's page. */
  description: string
  ip?: string
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
  status (whenPaid: string): string
  readonly jobState: 'pending' | 'blocked'
  /** Debits the balance, or writes the payment row; returns the payment id for crypto. */
  pay (trx: Db, input: ChargeInput): Promise<string | undefined>
}

/** The charge of one order of `amount` paid by `method`. */
export function chargeFor (deps: Pick<Deps, 'config'>, method: PaymentMethod | undefined, amount: Cents): Charge {
  const pending = method === 'crypto' && amount > 0n
  return {
    method: method ?? 'balance',
    pending,
    status: whenPaid => (pending ? PENDING_PAYMENT : whenPaid),
    jobState: pending ? 'blocked' : 'pending',
    async pay (trx, input) {
      if (!pending) {
        if (amount > 0n) await debit(trx, { userId: input.userId, amount, kind: 'order_debit', orderId: input.orderId, reason: input.reason, actor: input.actor })
        return undefined
      }
      const paymentId = newUuid()
      await trx.insertInto('payments').values({
        id: paymentId, user_id: input.userId, order_id: input.orderId, type: 'ORDER', amount_cents: amount,
        lifetime_minutes: deps.config.invoiceLifetimeMinutes, description: `${input.orderNumber}: ${input.description}`.slice(0, 200),
        ip_address: input.ip ?? null,
      }).execute()
      return paymentId
    },
  }
}
