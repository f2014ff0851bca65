import { z } from 'zod'
import { t } from '../../lib/i18n/index.ts'
import { EVENT_TYPES } from './event-types.ts'

const m = t.portal.forms

/**
 * A new webhook endpoint (POST /API/webhooks). Only the shape is checked here; whether the
 * address is allowed (https, public, the operator's allow-list) is the API's answer, shown on
 * the url field.
 */
export const webhookSchema = z.object({
  url: z
    .string()
    .trim()
    .min(1, { error: m.urlRequired, abort: true })
    .max(2048, m.urlTooLong)
    .refine(v => {
      try {
        const u = new URL(v)
        return u.protocol === 'https:' || u.protocol === 'http:'
      } catch {
        return false
      }
    }, m.urlInvalid),
  events: z.array(z.enum(EVENT_TYPES)),
  description: z.string().trim().max(200, m.descriptionTooLong),
})

export type WebhookInput = z.input<typeof webhookSchema>
export type WebhookValues = z.output<typeof webhookSchema>
