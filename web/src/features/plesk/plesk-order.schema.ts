import { z } from 'zod'
import { t } from '../../lib/i18n/index.ts'

const m = t.portal.forms

/**
 * A Plesk hosting order (POST /API/orders/create_order_plesk). The rules mirror the API's
 * (`plesk-validation.ts`: a hostname of two or more labels, Plesk's FTP login and password rules)
 * so a typo is caught before the quote; the API checks them again.
 */
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/

export function isDomainName(input: string): boolean {
  const d = input.trim().toLowerCase().replace(/\.$/, '')
  const labels = d.split('.')
  return d.length <= 253 && labels.length >= 2 && labels.every(l => LABEL.test(l)) && TLD.test(labels.at(-1)!)
}

export const FTP_LOGIN = /^[a-z][a-z0-9_.-]{0,15}$/

/** 8–64 printable characters without spaces, with a letter and a digit. */
export const isStrongPleskPassword = (pw: string): boolean =>
  pw.length >= 8 && pw.length <= 64 && /^[\x21-\x7e]+$/.test(pw) && /[A-Za-z]/.test(pw) && /\d/.test(pw)

export const pleskOrderSchema = z
  .object({
    client_id: z.string().min(1, m.clientRequired),
    plan_id: z.string().min(1, m.planRequired),
    domain_name: z
      .string()
      .trim()
      .refine(isDomainName, m.domainInvalid)
      .transform(d => d.toLowerCase().replace(/\.$/, '')),
    ftp_login: z.string().regex(FTP_LOGIN, m.ftpLoginInvalid),
    ftp_password: z.string().refine(isStrongPleskPassword, m.passwordWeak),
    subscription_duration: z.enum(['1', '2', '3'], { error: m.monthsChoice }),
  })
  .refine(v => !v.ftp_password.toLowerCase().includes(v.ftp_login.toLowerCase()), {
    path: ['ftp_password'],
    error: m.passwordContainsLogin,
  })

export type PleskOrderInput = z.input<typeof pleskOrderSchema>
export type PleskOrderValues = z.output<typeof pleskOrderSchema>
