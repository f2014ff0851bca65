import type { Db } from '../../db/connect.ts'
import { mailAccountLink } from './auth-mail.ts'
import { normalizeEmail, type AccountDeps } from './views.ts'

/** At most this many reset links per account and hour: the form cannot be used to flood a mailbox. */
const RESET_MAILS_PER_HOUR = 3

export async function mailsAllowed(db: Db, userId: string, now: Date): Promise<boolean> {
  const row = await db
    .selectFrom('account_tokens')
    .select(eb => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('purpose', '=', 'password_reset')
    .where('created_at', '>', new Date(now.getTime() - 3_600_000))
    .executeTakeFirstOrThrow()
  return Number(row.n) < RESET_MAILS_PER_HOUR
}

/**
 * "Forgot password": mails a link with a single-use token valid for an hour to the address, if it
 * has an active account. The caller answers 202 whatever happened, so the form says nothing about
 * which addresses have accounts.
 */
export async function requestPasswordReset(deps: AccountDeps, input: { email: string }): Promise<void> {
  const email = normalizeEmail(input.email)
  if (email === null) return
  const now = deps.clock.now()
  await deps.db.transaction().execute(async trx => {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'is_active'])
      .where('email', '=', email)
      .forUpdate()
      .executeTakeFirst()
    if (!user || !user.is_active || !(await mailsAllowed(trx, user.id, now))) return
    await mailAccountLink(trx, deps, {
      userId: user.id,
      to: email,
      purpose: 'password_reset',
      template: 'auth.password_reset',
      now,
    })
  })
}
