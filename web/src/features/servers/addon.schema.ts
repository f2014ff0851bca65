import { z } from 'zod'
import { t } from '../../lib/i18n/index.ts'

const m = t.portal.forms

/** Buy an addon (an extra IPv4) for a server (POST /API/orders/create_order_addon). */
export const addonSchema = z.object({ addon_id: z.string().min(1, m.addonRequired) })

export type AddonInput = z.input<typeof addonSchema>
export type AddonValues = z.output<typeof addonSchema>
