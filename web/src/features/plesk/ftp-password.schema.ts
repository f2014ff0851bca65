import { z } from 'zod'
import { t } from '../../lib/i18n/index.ts'

const m = t.portal.ftp

/** oxbill's policy for a new FTP password (POST /API/plesk/ftp_password): at least 10 characters. */
export const FTP_PASSWORD_MIN = 10
/** Plesk's own ceiling on a password's length. */
export const FTP_PASSWORD_MAX = 255

/** The new FTP password, typed twice; the API checks the policy again and has the final say. */
export const ftpPasswordSchema = z
  .object({
    password: z
      .string()
      .min(FTP_PASSWORD_MIN, { error: m.tooShort({ min: FTP_PASSWORD_MIN }), abort: true })
      .max(FTP_PASSWORD_MAX, m.tooLong({ max: FTP_PASSWORD_MAX }))
      .refine(v => v.trim() === v, m.spaces),
    confirm: z.string(),
  })
  .refine(v => v.confirm === v.password, { path: ['confirm'], error: m.mismatch })

export type FtpPasswordInput = z.input<typeof ftpPasswordSchema>
export type FtpPasswordValues = z.output<typeof ftpPasswordSchema>
