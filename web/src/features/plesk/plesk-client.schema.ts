import { z } from 'zod'
import { t } from '../../lib/i18n/index.ts'
import { isStrongPleskPassword } from './plesk-order.schema.ts'

const m = t.portal.forms

/** A new Plesk client (POST /API/plesk/clients/create); mirrors `client-validation.ts`. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\x00-\x1f\x7f]/
const EMAIL = /^[^\s@]{1,64}@[^\s@.]+(?:\.[^\s@.]+)+$/

export const pleskClientSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, { error: m.nameRequired, abort: true })
      .max(100, m.nameTooLong)
      .refine(v => !CONTROL.test(v), m.textInvalid),
    login: z.string().regex(/^[a-z][a-z0-9_.-]{2,59}$/, m.pleskLoginInvalid),
    email: z.string().trim().max(254, m.emailInvalid).regex(EMAIL, m.emailInvalid),
    password: z.string().refine(isStrongPleskPassword, m.passwordWeak),
    company: z
      .string()
      .trim()
      .max(100, m.companyTooLong)
      .refine(v => !CONTROL.test(v), m.textInvalid)
      .transform(v => (v === '' ? undefined : v)),
  })
  .refine(v => !v.password.toLowerCase().includes(v.login.toLowerCase()), {
    path: ['password'],
    error: m.passwordContainsLogin,
  })

export type PleskClientInput = z.input<typeof pleskClientSchema>
export type PleskClientValues = z.output<typeof pleskClientSchema>
