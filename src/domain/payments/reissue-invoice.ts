import type { Payment } from '../../db/schema.ts'
import type { Deps } from '../../deps.ts'
import { newUuid } from '../../lib/ids.ts'
import type { Principal } from '../auth/api-keys.ts'
import { requireActiveUser, requireOwned, requireUser } from '../access/authorize.ts'
import { AppError, validation } from '../../lib/errors.ts'
import { invoiceMinutesUntil, PENDING_PAYMENT } from '../orders/charge.ts'
import { ensureInvoice, latestOrderPayment, type CoinChoice } from './create-invoice.ts'
import { isOpenStatus } from './observation.ts'
import { assertOpenInvoiceCap } from './open-invoice-cap.ts'

export interface ReissueInput {
  userId: string
  orderId: string
  currency: string
  payCurrency: string
  network: string
}

/**
 * `POST /API/invoice` with `order_id` (0xhost-api §3.19): the white-label invoice of the caller's
 * own `pending_payment` crypto order in the coin and network it names (`pay_currency`, `network`).
 * - an open invoice of it in that coin and network is returned as it is;
 * - a missing one (OxaPay failed when the order was placed) is created in that coin;
 * - an open one in another coin stays payable, and a new one is created in the named coin — within
 *   the customer's open-invoice cap, since both can be paid (what arrives on either is credited,
 *   and the order is paid once);
 * - an expired one is replaced by a new invoice for the order amount.
 * A new invoice lives until the order's payment deadline at most (never past it: an unpaid order
 * cannot be kept alive by re-issuing its invoice). Invoices are in EUR only. A coin or network that
 * OxaPay refuses is a 400 `validation_error` and nothing is left of the attempt.
 */
export async function reissueInvoice(
  deps: Deps,
  caller: { principal: Principal; ip?: string },
  input: ReissueInput,
): Promise<Payment> {
  const user = await requireUser(deps.db, caller.principal, input.userId, 'use')
  if (input.currency.toUpperCase() !== 'EUR') {
    throw validation('currency must be EUR: orders are priced and invoiced in EUR', 'currency')
  }
  const choice = coinChoice(input.payCurrency, input.network)
  const order = await requireOwned(deps.db, caller.principal, 'orders', input.orderId, { access: 'use', owner: user })
  const latest = await latestOrderPayment(deps.db, order.id)
  if (order.payment_method !== 'crypto' || order.status !== PENDING_PAYMENT || !latest) {
    throw new AppError(
      'invalid_state',
      `the order is ${order.status} (${order.payment_method}); only a pending_payment crypto order has an invoice to issue`,
      { details: { status: order.status } },
    )
  }
  const now = deps.clock.now()
  if (latest.track_id === null) return ensureInvoice(deps, latest.id, { choice })
  const isOpen = (p: Payment): boolean =>
    p.track_id !== null && isOpenStatus(p.status) && (p.expired_at === null || p.expired_at > now)
  // Any open invoice of the order in that coin and network (newest first), not only the latest.
  const all = await deps.db
    .selectFrom('payments')
    .selectAll()
    .where('order_id', '=', order.id)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute()
  const match = all.find(p => isOpen(p) && sameCoin(p, choice))
  if (match) return match
  const open = all.some(isOpen)
  // A new invoice never extends the order's life: it ends at the order's payment deadline.
  if (order.pay_by !== null && order.pay_by <= now) {
    throw new AppError(
      'invalid_state',
      `the order's payment deadline passed at ${order.pay_by.toISOString()}; place a new order`,
      { details: { status: order.status, pay_by: order.pay_by.toISOString() } },
    )
  }
  const lifetime =
    order.pay_by !== null
      ? invoiceMinutesUntil(order.pay_by, now, deps.config.invoiceLifetimeMinutes)
      : deps.config.invoiceLifetimeMinutes
  const id = newUuid()
  await deps.db.transaction().execute(async trx => {
    // Under the order's lock: reconciliation cancels an order only after the same check.
    const locked = await trx
      .selectFrom('orders')
      .select('status')
      .where('id', '=', order.id)
      .forUpdate()
      .executeTakeFirstOrThrow()
    if (locked.status !== PENDING_PAYMENT) {
      throw new AppError('invalid_state', `the order is ${locked.status}`, { details: { status: locked.status } })
    }
    await requireActiveUser(trx, caller.principal, order.user_id)
    // Replacing an expired invoice adds nothing open; a second coin beside an open one does.
    if (open) await assertOpenInvoiceCap(trx, deps.config, order.user_id)
    await trx
      .insertInto('payments')
      .values({
        id,
        user_id: order.user_id,
        order_id: order.id,
        type: 'ORDER',
        amount_cents: order.amount_cents,
        lifetime_minutes: lifetime,
        description: latest.description,
        ip_address: caller.ip ?? null,
        pay_currency: choice.payCurrency,
        requested_network: choice.network ?? null,
      })
      .execute()
  })
  return ensureInvoice(deps, id, { choice, discardOnRefusal: true })
}

/** The client's coin and network, checked for form (OxaPay decides whether it accepts them). */
export function coinChoice(payCurrency: string, network: string | undefined): CoinChoice {
  const coin = payCurrency.trim().toUpperCase()
  if (!/^[A-Z0-9]{2,10}$/.test(coin)) {
    throw validation('pay_currency must be a coin symbol of 2 to 10 letters or digits (e.g. USDT)', 'pay_currency')
  }
  if (network === undefined) return { payCurrency: coin }
  const net = network.trim()
  if (!/^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,49}$/.test(net)) {
    throw validation(
      'network must be a network name of 1 to 50 letters, digits, spaces, dots or dashes (e.g. TRC20, Ethereum)',
      'network',
    )
  }
  return { payCurrency: coin, network: net }
}

const bareNetwork = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[\s_-]+/g, '')
    .replace(/network$/, '')

/** Whether a payment is in the coin and network a client names ("Ethereum" names "Ethereum Network"). */
function sameCoin(p: Payment, choice: CoinChoice): boolean {
  if (p.oxapay_type !== 'white_label' || p.pay_currency !== choice.payCurrency) return false
  if (choice.network === undefined) return true
  const want = bareNetwork(choice.network)
  return [p.requested_network, p.network].some(n => n !== null && bareNetwork(n) === want)
}
