import type { Db } from '../../db/connect.ts'
import type { Deps } from '../../deps.ts'
import type { AccountTokenPurpose } from '../../db/states.ts'
import { newId } from '../../lib/ids.ts'
import { enqueueJob } from '../../outbox/enqueue.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { randomToken, tokenDigest } from '../auth/sessions.ts'
import type { AuthMailTemplate } from '../notifications/render-mail.ts'

/** How long a mailed link works. */
export const TOKEN_LIFETIME_MS: Record<AccountTokenPurpose, number> = {
  verify_email: 24 * 3_600_000,
  password_reset: 3_600_000,
}

const PAGE: Record<AccountTokenPurpose, string> = {
  verify_email: '/verify-email',
  password_reset: '/reset-password',
}

export interface AuthMailPayload {
  template: AuthMailTemplate
  to: string
  user_id: string
  /** "24 hours", "1 hour": how long the link works, for the text. */
  valid_for: string
}

/**
 * Mints a single-use token (only its SHA-256 is stored) and, in the same transaction, an
 * `auth_mail` job whose sealed secret is the link carrying it: the token never enters `events`
 * (operator webhooks see those), a payload or a log, and the mail exists only if the token does.
 * The job's secret is erased once the mail is sent.
 */
export async function mailAccountLink(
  trx: Db,
  deps: Pick<Deps, 'secretBox' | 'publicUrl' | 'config'>,
  opts: { userId: string; to: string; purpose: AccountTokenPurpose; template: AuthMailTemplate; now: Date },
): Promise<void> {
  const token = randomToken()
  await trx
    .insertInto('account_tokens')
    .values({
      id: newId('accountToken'),
      user_id: opts.userId,
      purpose: opts.purpose,
      token_hash: tokenDigest(token),
      expires_at: new Date(opts.now.getTime() + TOKEN_LIFETIME_MS[opts.purpose]),
      created_at: opts.now,
    })
    .execute()
  const base = deps.publicUrl().replace(/\/+$/, '')
  const link = `${base}${PAGE[opts.purpose]}?token=${encodeURIComponent(token)}`
  const payload: AuthMailPayload = {
    template: opts.template,
    to: opts.to,
    user_id: opts.userId,
    valid_for: opts.purpose === 'verify_email' ? '24 hours' : '1 hour',
  }
  await enqueueJob(trx, {
    kind: JobKind.authMail,
    payload: { ...payload },
    maxAttempts: Math.max(deps.config.jobMaxAttempts, 5),
    secret: { box: deps.secretBox, value: link },
  })
}
