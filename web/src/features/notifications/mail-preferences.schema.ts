import { z } from 'zod'
import { t } from '../../lib/i18n/index.ts'
import { EVENT_TYPES } from './event-types.ts'

const m = t.portal.forms

/**
 * Mail preferences (PUT /API/notifications/mail). An empty address means the account's own (sent
 * as null); `all` sends events: null (every type), otherwise the chosen list ([] mails nothing).
 */
export const mailPreferencesSchema = z
  .object({
    enabled: z.boolean(),
    address: z
      .string()
      .trim()
      .max(254, m.emailInvalid)
      .refine(v => v === '' || /^[^\s@]{1,64}@[^\s@.]+(?:\.[^\s@.]+)+$/.test(v), m.emailInvalid),
    all_events: z.boolean(),
    events: z.array(z.enum(EVENT_TYPES)),
  })
  .transform(v => ({
    enabled: v.enabled,
    address: v.address === '' ? null : v.address,
    events: v.all_events ? null : v.events,
  }))

export type MailPreferencesInput = z.input<typeof mailPreferencesSchema>
export type MailPreferencesBody = z.output<typeof mailPreferencesSchema>
