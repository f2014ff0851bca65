// The auth forms' checks (STYLE-web rule 9): fast feedback only, the API has the final say (the
// password policy especially: breached and e-mail-containing passwords are the server's call).
import { z } from 'zod'
import type { BodyOf } from '../../api/types.ts'
import { t } from '../../lib/i18n/index.ts'

const email = z
  .string()
  .trim()
  .min(1, { error: t.form.required })
  .max(254, { error: t.auth.invalidEmail })
  .pipe(z.email({ error: t.auth.invalidEmail }))

/** The policy's length bounds (contracts/accounts.md): 10 to 256 characters. */
export const PASSWORD_MIN = 10
export const PASSWORD_MAX = 256
const newPassword = z
  .string()
  .min(PASSWORD_MIN, { error: t.form.atLeast({ n: PASSWORD_MIN }) })
  .max(PASSWORD_MAX, { error: t.form.atMost({ n: PASSWORD_MAX }) })

/** A TOTP code: 6 digits; spaces people type from the app ("123 456") are dropped. */
export const totpCode = z
  .string()
  .transform(s => s.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, { error: t.auth.codeFormat }))

/** A recovery code as printed; the server compares it, the form only trims it. */
export const recoveryCode = z.string().trim().min(1, { error: t.form.required }).max(64, { error: t.form.required })

export type LoginStep = 'password' | 'totp' | 'recovery'

/**
 * The login form, one schema for both steps: `step` says whether the server asked for a second
 * factor (401 totp_required) and which one the user chose; only that one is checked and sent.
 */
export const loginSchema = z
  .object({
    email,
    password: z.string().min(1, { error: t.form.required }),
    step: z.enum(['password', 'totp', 'recovery']),
    totp_code: z.string(),
    recovery_code: z.string(),
  })
  .superRefine((v, ctx) => {
    const [field, check] =
      v.step === 'totp' ? (['totp_code', totpCode] as const) : (['recovery_code', recoveryCode] as const)
    if (v.step === 'password') return
    const r = check.safeParse(v[field])
    if (!r.success) ctx.addIssue({ code: 'custom', path: [field], message: r.error.issues[0]?.message ?? '' })
  })
  .transform(v => {
    const body: BodyOf<'/API/auth/login', 'post'> = { email: v.email, password: v.password }
    if (v.step === 'totp') body.totp_code = totpCode.parse(v.totp_code)
    if (v.step === 'recovery') body.recovery_code = recoveryCode.parse(v.recovery_code)
    return body
  })
export type LoginForm = z.input<typeof loginSchema>

export const signupSchema = z.object({
  email,
  password: newPassword,
  username: z
    .string()
    .trim()
    .max(64, { error: t.form.atMost({ n: 64 }) })
    .regex(/^[A-Za-z0-9._-]*$/, { error: t.auth.usernameHint })
    .transform(s => (s === '' ? undefined : s)),
})
export type SignupForm = z.input<typeof signupSchema>
export const signupBody = (form: SignupForm) => signupSchema.parse(form) satisfies BodyOf<'/API/auth/signup', 'post'>

export const forgotSchema = z.object({ email })
export type ForgotForm = z.input<typeof forgotSchema>

export const resetSchema = z
  .object({ password: newPassword, confirm: z.string() })
  .refine(v => v.password === v.confirm, { error: t.auth.passwordsDiffer, path: ['confirm'] })
export type ResetForm = z.input<typeof resetSchema>
export const resetBody = (token: string, form: ResetForm) =>
  ({ token, password: resetSchema.parse(form).password }) satisfies BodyOf<'/API/auth/password-reset/confirm', 'post'>
