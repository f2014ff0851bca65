import { z } from 'zod'
import { t } from '../../lib/i18n/index.ts'

const m = t.portal.forms

/**
 * The new-VPS order form (POST /API/orders/create_order, new-server variant). Fast feedback only:
 * the API checks the plan, image and location again and has the final say.
 */
export const orderVpsSchema = z.object({
  plan_id: z.string().min(1, m.planRequired),
  os_image_id: z.string().min(1, m.osImageRequired),
  location: z.string().min(1, m.locationRequired),
  name_server: z
    .string()
    .trim()
    .max(63, m.serverNameTooLong)
    .transform(v => (v === '' ? undefined : v)),
})

export type OrderVpsInput = z.input<typeof orderVpsSchema>
export type OrderVpsValues = z.output<typeof orderVpsSchema>

export const paymentTypeSchema = z.enum(['balance', 'crypto'])
export type PaymentType = z.output<typeof paymentTypeSchema>
