// The account forms' checks; the API has the final say (its `error.field` lands on the field).
import { z } from 'zod'
import type { BodyOf } from '../../api/types.ts'
import { t } from '../../lib/i18n/index.ts'
import { PASSWORD_MAX, PASSWORD_MIN, recoveryCode, totpCode } from '../auth/auth.schema.ts'

/** A text box's value: trimmed, at most `max` characters, empty → null (the API clears it). */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: t.form.atMost({ n: max }) })
    .transform(s => (s === '' ? null : s))

export const profileSchema = z.object({
  username: z
    .string()
    .trim()
    .min(1, { error: t.form.required })
    .max(64, { error: t.form.atMost({ n: 64 }) })
    .regex(/^[A-Za-z0-9._-]*$/, { error: t.auth.usernameHint }),
  telegram: optionalText(64),
  billing: z.object({
    name: optionalText(200),
    company: optionalText(200),
    address_line1: optionalText(200),
    address_line2: optionalText(200),
    postal_code: optionalText(32),
    city: optionalText(100),
    country: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^([A-Z]{2})?$/, { error: t.account.countryHint })
      .transform(s => (s === '' ? null : s)),
    vat_id: optionalText(32),
  }),
})
export type ProfileForm = z.input<typeof profileSchema>
export type ProfileOutput = z.output<typeof profileSchema>
// What the form sends is a PATCH body the API takes.
export const profileBody = (form: ProfileForm) =>
  profileSchema.parse(form) satisfies BodyOf<'/API/account/profile', 'patch'>

/** The profile as the form edits it: nulls become empty boxes. */
export function profileFormValues(p: {
  username: string
  telegram: string | null
  billing: Record<keyof ProfileForm['billing'], string | null>
}): ProfileForm {
  const b = p.billing
  return {
    username: p.username,
    telegram: p.telegram ?? '',
    billing: {
      name: b.name ?? '',
      company: b.company ?? '',
      address_line1: b.address_line1 ?? '',
      address_line2: b.address_line2 ?? '',
      postal_code: b.postal_code ?? '',
      city: b.city ?? '',
      country: b.country ?? '',
      vat_id: b.vat_id ?? '',
    },
  }
}

export const changePasswordSchema = z
  .object({
    current_password: z.string().min(1, { error: t.form.required }),
    new_password: z
      .string()
      .min(PASSWORD_MIN, { error: t.form.atLeast({ n: PASSWORD_MIN }) })
      .max(PASSWORD_MAX, { error: t.form.atMost({ n: PASSWORD_MAX }) }),
    confirm: z.string(),
  })
  .refine(v => v.new_password === v.confirm, { error: t.auth.passwordsDiffer, path: ['confirm'] })
  // The API takes the two passwords; the repetition stays in the form.
  .transform(v => ({ current_password: v.current_password, new_password: v.new_password }))
export type ChangePasswordForm = z.input<typeof changePasswordSchema>
export type ChangePasswordBody = z.output<typeof changePasswordSchema> & BodyOf<'/API/account/password', 'post'>

/** Turning 2FA on, or new recovery codes: a code from the app. */
export const totpConfirmSchema = z.object({ code: totpCode })
export type TotpConfirmForm = z.input<typeof totpConfirmSchema>

/** Turning 2FA off: the password and a code from the app or a recovery code. */
export const totpDisableSchema = z.object({
  password: z.string().min(1, { error: t.form.required }),
  code: z
    .string()
    .trim()
    .min(1, { error: t.form.required })
    .transform(s => (/^\d{3}\s?\d{3}$/.test(s) ? s.replace(/\s/g, '') : s))
    .pipe(recoveryCode),
})
export type TotpDisableForm = z.input<typeof totpDisableSchema>
export const totpDisableBody = (form: TotpDisableForm) =>
  totpDisableSchema.parse(form) satisfies BodyOf<'/API/account/2fa/disable', 'post'>

export const apiKeySchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, { error: t.form.required })
    .max(100, { error: t.form.atMost({ n: 100 }) }),
})
export type ApiKeyForm = z.input<typeof apiKeySchema>
