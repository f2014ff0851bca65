import type { Deps } from '../../deps.ts'
import type { Db } from '../../db/connect.ts'
import type { Principal } from '../auth/api-keys.ts'
import { formatAmount, type Cents } from '../../lib/money.ts'
import { pleskPrice, secondsUntil, TERM_HOURS } from '../billing/pricing.ts'
import { assertOpenInvoiceCap } from '../payments/open-invoice-cap.ts'
import { chargeFor, type PaymentMethod } from './charge.ts'
import { prepareNewServer, priceNewServer, type NewServerInput } from './order-new-server.ts'
import { prepareChangePlan, priceChangePlan, type ChangePlanInput } from './change-server-plan.ts'
import { prepareExtension, priceExtension, type ExtendInput } from './extend-server.ts'
import { prepareAddon, priceAddon, type AddonInput } from './order-addon.ts'
import { preparePleskOrder, pricePleskOrder, type PleskOrderInput } from './order-plesk.ts'
import { preparePleskRenewal, pricePleskRenewal, type PleskRenewInput } from './renew-plesk.ts'

/** An order to quote: the use-case it would run and that use-case's input, as its route builds it. */
export type QuoteRequest =
  | { kind: 'new_server'; input: NewServerInput }
  | { kind: 'scale_server'; input: ChangePlanInput }
  | { kind: 'renew_server'; input: ExtendInput }
  | { kind: 'addon'; input: AddonInput }
  | { kind: 'plesk'; input: PleskOrderInput }
  | { kind: 'plesk_renew'; input: PleskRenewInput }

export type QuoteKind =
  'server_new' | 'server_change_plan' | 'server_extend' | 'addon' | 'plesk_new' | 'plesk_renew' | 'plesk_upgrade'

export interface QuoteLine {
  description: string
  amount: string
}

export interface QuoteBody {
  kind: QuoteKind
  amount: string
  currency: 'EUR'
  upgrade_difference: string | null
  current_expiry: string | null
  new_expiry: string | null
  balance: string
  balance_sufficient: boolean
  lines: QuoteLine[]
}

/** What one order kind's pricing answered, in cents. */
interface Priced {
  kind: QuoteKind
  userId: string
  amount: Cents
  upgradeDifference: Cents | null
  currentExpiry: Date | null
  newExpiry: Date | null
  lines: Array<{ description: string; amount: Cents }>
}

interface Staged {
  paymentMethod: PaymentMethod | undefined
  /** In the quote's transaction: the same locks, refusals and price as the order's transaction. */
  price(trx: Db, now: Date): Promise<Priced>
}

/** Carries the answer out of the transaction, which is rolled back so that the quote leaves nothing behind. */
class Quoted extends Error {
  constructor(readonly body: QuoteBody) {
    super('quote computed; rolling back')
  }
}

/**
 * What an order would cost now, without placing it (`POST /API/orders/quote`). Each kind runs the
 * order's own checks (`prepare…`, outside any transaction, as `executeOrder` does) and then the
 * order's own pricing (`price…`) in a transaction that is always rolled back: the service row is
 * locked and refused exactly as the order would (another open order, a suspended or resizing
 * server, a subscription that cannot be renewed), and an overdue unpaid order that the order
 * would cancel on its way is cancelled there too — and then restored by the rollback. No order,
 * ledger row, job, idempotency key or event survives. A crypto order also meets the open-invoice
 * cap it would meet. A balance that does not cover the amount is not an error here:
 * `balance_sufficient` says so.
 */
export async function quoteOrder(deps: Deps, principal: Principal, request: QuoteRequest): Promise<QuoteBody> {
  const staged = await stage(deps, principal, request)
  try {
    await deps.db.transaction().execute(async trx => {
      const now = deps.clock.now()
      const priced = await staged.price(trx, now)
      if (chargeFor(deps, staged.paymentMethod, priced.amount).pending) {
        await assertOpenInvoiceCap(trx, deps.config, priced.userId)
      }
      const { balance_cents: balance } = await trx
        .selectFrom('users')
        .select('balance_cents')
        .where('id', '=', priced.userId)
        .executeTakeFirstOrThrow()
      throw new Quoted(render(priced, balance))
    })
  } catch (err) {
    if (err instanceof Quoted) return err.body
    throw err
  }
  throw new Error('the quote transaction ended without a quote')
}

function render(p: Priced, balance: Cents): QuoteBody {
  return {
    kind: p.kind,
    amount: formatAmount(p.amount),
    currency: 'EUR',
    upgrade_difference: p.upgradeDifference === null ? null : formatAmount(p.upgradeDifference),
    current_expiry: p.currentExpiry?.toISOString() ?? null,
    new_expiry: p.newExpiry?.toISOString() ?? null,
    balance: formatAmount(balance),
    balance_sufficient: balance >= p.amount,
    lines: p.lines.map(l => ({ description: l.description, amount: formatAmount(l.amount) })),
  }
}

/**
 * A plan change's lines add up to its amount: the new term(s), the remaining time re-valued (negative
 * on a downgrade) and, when a downgrade's difference exceeds the new term, what is left over and credited.
 */
function planChangeLines(
  term: { description: string; amount: Cents },
  quote: { upgradeDifference: Cents; credit: Cents },
  remainingSeconds: bigint,
) {
  const lines = [
    term,
    {
      description: `Remaining ${remainingSeconds} s of the current term, re-valued at the new price`,
      amount: quote.upgradeDifference,
    },
  ]
  if (quote.credit > 0n) {
    lines.push({ description: 'Left over, credited to the balance when the change takes effect', amount: quote.credit })
  }
  return lines
}

async function stage(deps: Deps, principal: Principal, r: QuoteRequest): Promise<Staged> {
  switch (r.kind) {
    case 'new_server': {
      const { user, plan } = await prepareNewServer(deps, principal, r.input)
      return {
        paymentMethod: r.input.paymentMethod,
        price: async (_trx, now) => {
          const price = priceNewServer(plan, now)
          return {
            kind: 'server_new',
            userId: user.id,
            amount: price.amount,
            upgradeDifference: null,
            currentExpiry: null,
            newExpiry: price.newExpiry,
            lines: [{ description: `Plan ${plan.name}, ${price.hours} h`, amount: price.amount }],
          }
        },
      }
    }
    case 'scale_server': {
      const { user, server, newPlan } = await prepareChangePlan(deps, principal, r.input)
      return {
        paymentMethod: r.input.paymentMethod,
        price: async (trx, now) => {
          const { locked, quote, remainingSeconds, newExpiry } = await priceChangePlan(trx, server.id, newPlan, now)
          return {
            kind: 'server_change_plan',
            userId: user.id,
            amount: quote.amount,
            upgradeDifference: quote.upgradeDifference,
            currentExpiry: locked.expire_date,
            newExpiry,
            lines: planChangeLines(
              { description: `Plan ${newPlan.name}, ${TERM_HOURS} h`, amount: newPlan.price_cents },
              quote,
              remainingSeconds,
            ),
          }
        },
      }
    }
    case 'renew_server': {
      const { user, server } = await prepareExtension(deps, principal, r.input)
      const hours = r.input.hours
      return {
        paymentMethod: r.input.paymentMethod,
        price: async (trx, now) => {
          const { locked, plan, amount, newExpire } = await priceExtension(trx, server.id, hours, now)
          return {
            kind: 'server_extend',
            userId: user.id,
            amount,
            upgradeDifference: null,
            currentExpiry: locked.expire_date,
            newExpiry: newExpire,
            lines: [{ description: `${hours} h of ${plan.name}`, amount }],
          }
        },
      }
    }
    case 'addon': {
      const { user, addon, server } = await prepareAddon(deps, principal, r.input)
      return {
        paymentMethod: r.input.paymentMethod,
        price: async (trx, now) => {
          const { locked, amount } = await priceAddon(trx, server.id, addon, now)
          // The addon shares the server's term: the expiry does not move.
          return {
            kind: 'addon',
            userId: user.id,
            amount,
            upgradeDifference: null,
            currentExpiry: locked.expire_date,
            newExpiry: locked.expire_date,
            lines: [{ description: addon.name, amount }],
          }
        },
      }
    }
    case 'plesk': {
      const { domain, client, plan } = await preparePleskOrder(deps, principal, r.input)
      const months = r.input.months
      return {
        paymentMethod: r.input.paymentMethod,
        price: async (_trx, now) => {
          const { amount, expiresAt } = pricePleskOrder(plan, months, now)
          return {
            kind: 'plesk_new',
            userId: client.user_id,
            amount,
            upgradeDifference: null,
            currentExpiry: null,
            newExpiry: expiresAt,
            lines: [{ description: `Plesk ${plan.name} for ${domain}, ${months} month(s)`, amount }],
          }
        },
      }
    }
    case 'plesk_renew': {
      const { sub, newPlan } = await preparePleskRenewal(deps, principal, r.input)
      const months = r.input.months
      return {
        paymentMethod: r.input.paymentMethod,
        price: async (trx, now) => {
          const { locked, current, quote, newExpiresAt } = await pricePleskRenewal(trx, sub.id, newPlan, months, now)
          const base = {
            userId: locked.user_id,
            amount: quote.amount,
            currentExpiry: locked.expires_at,
            newExpiry: newExpiresAt,
          }
          if (newPlan === null) {
            return {
              ...base,
              kind: 'plesk_renew',
              upgradeDifference: null,
              lines: [
                {
                  description: `Plesk ${current.name} for ${locked.domain_name}, ${months} month(s)`,
                  amount: quote.amount,
                },
              ],
            }
          }
          return {
            ...base,
            kind: 'plesk_upgrade',
            upgradeDifference: quote.upgradeDifference,
            lines: planChangeLines(
              {
                description: `Plesk ${newPlan.name} for ${locked.domain_name}, ${months} month(s)`,
                amount: pleskPrice(newPlan.price_cents, months),
              },
              quote,
              secondsUntil(locked.expires_at, now),
            ),
          }
        },
      }
    }
  }
}
