import { z } from 'zod'
import { t } from '../../lib/i18n/index.ts'
import { parseMoney } from '../../lib/money.ts'

const m = t.portal.forms

/**
 * A balance top-up by crypto (POST /API/invoice with `amount`). The amount is typed as text and
 * sent as the string typed (STYLE-web rule 10); it is checked as EUR (two decimals) and against
 * the API's limits, 1.00 to 10000.00, by comparing whole cents as bigints, never as a float.
 */
const AMOUNT = /^(\d{1,5})(?:\.(\d{1,2}))?$/
export const MIN_TOP_UP_CENTS = 100n
export const MAX_TOP_UP_CENTS = 1_000_000n

/** Cents of an amount in the form the API takes, or null. */
export function topUpCents(amount: string): bigint | null {
  return AMOUNT.test(amount) ? (parseMoney(amount, 'EUR')?.minor ?? null) : null
}

export const topUpSchema = z.object({
  amount: z
    .string()
    .trim()
    .regex(AMOUNT, { error: m.amountFormat, abort: true })
    .refine(v => {
      const c = topUpCents(v)
      return c !== null && c >= MIN_TOP_UP_CENTS && c <= MAX_TOP_UP_CENTS
    }, m.amountRange),
  pay_currency: z
    .string()
    .trim()
    .regex(/^(?:[A-Za-z0-9]{2,10})?$/, m.coinInvalid)
    .transform(v => (v === '' ? undefined : v.toUpperCase())),
})

export type TopUpInput = z.input<typeof topUpSchema>
export type TopUpValues = z.output<typeof topUpSchema>
