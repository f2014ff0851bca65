import { z } from 'zod'
import { t } from '../../lib/i18n/index.ts'

const m = t.portal.forms

/** Hours the API accepts per extension order (extend-server.ts: 1–8760). */
export const MAX_EXTENSION_HOURS = 8760

/**
 * Extend a server by hours (create_order with server_id + hours). The hours stay the digit string
 * typed, as the docs send them, so the quote and the order carry the same body.
 */
export const extendSchema = z.object({
  hours: z
    .string()
    .trim()
    .regex(/^[0-9]{1,4}$/, { error: m.hoursWhole, abort: true })
    .refine(v => {
      const n = Number.parseInt(v, 10)
      return n >= 1 && n <= MAX_EXTENSION_HOURS
    }, m.hoursRange),
})

export type ExtendInput = z.input<typeof extendSchema>
export type ExtendValues = z.output<typeof extendSchema>
