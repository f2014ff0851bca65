import { z } from 'zod'
import { t } from '../../lib/i18n/index.ts'

const m = t.portal.forms

/** Change a server's plan (create_order with server_id + plan_id). */
export const changePlanSchema = z.object({ plan_id: z.string().min(1, m.planRequired) })

export type ChangePlanInput = z.input<typeof changePlanSchema>
export type ChangePlanValues = z.output<typeof changePlanSchema>
