import { z } from 'zod'
import { t } from '../../lib/i18n/index.ts'

const m = t.portal.forms

/**
 * Renew a Plesk subscription, optionally on another plan (POST /API/orders/create_order_scale_plesk).
 * `new_plan_id` empty means "keep the plan": the field is left out of the body.
 */
export const pleskRenewSchema = z.object({
  months: z
    .string()
    .trim()
    .regex(/^[0-9]{1,2}$/, { error: m.monthsWhole, abort: true })
    .refine(v => {
      const n = Number.parseInt(v, 10)
      return n >= 1 && n <= 36
    }, m.monthsRange),
  new_plan_id: z.string().transform(v => (v === '' ? undefined : v)),
})

export type PleskRenewInput = z.input<typeof pleskRenewSchema>
export type PleskRenewValues = z.output<typeof pleskRenewSchema>
