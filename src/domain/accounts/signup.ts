import { AppError, validation } from '../../lib/errors.ts'
import { newUuid } from '../../lib/ids.ts'
import { mailAccountLink } from './auth-mail.ts'
import { checkPasswordPolicy, hashPassword } from './passwords.ts'
import { normalizeEmail, type AccountDeps } from './views.ts'
import { mailsAllowed } from './request-password-reset.ts'

/**
 * Self-service signup. The answer is the same 202 for a new address and for one that has an
 * account already — the owner of that one gets an "account exists" mail (with a password-reset
 * link) instead of a verification — so signup tells nobody which addresses are customers. The
 * password is checked (and hashed) before anything is written, in both cases, so timing says
 * nothing either. A concurrent signup of the same address makes one account (unique e-mail).
 */
export async function signup(
  deps: AccountDeps,
  input: { email: string; password: string; username?: string },
): Promise<void> {
  if (!deps.config.accounts.signupEnabled) {
    throw new AppError('signup_disabled', 'signup is disabled on this server; ask the operator for an account')
  }
  const email = normalizeEmail(input.email)
  if (email === null) throw validation(`'${input.email}' is not an e-mail address`, 'email')
  checkPasswordPolicy(input.password, email)
  const hash = await hashPassword(input.password)
  const now = deps.clock.now()
  const username = input.username?.trim() || email.split('@')[0]!
  await deps.db.transaction().execute(async trx => {
    const created = await trx
      .insertInto('users')
      .values({ id: newUuid(), username, email, password_hash: hash })
      .onConflict(oc => oc.column('email').doNothing())
      .returning('id')
      .executeTakeFirst()
    if (created) {
      await mailAccountLink(trx, deps, {
        userId: created.id,
        to: email,
        purpose: 'verify_email',
        template: 'auth.verify_email',
        now,
      })
      return
    }
    const existing = await trx
      .selectFrom('users')
      .select(['id', 'is_active'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow()
    if (existing.is_active && (await mailsAllowed(trx, existing.id, now))) {
      await mailAccountLink(trx, deps, {
        userId: existing.id,
        to: email,
        purpose: 'password_reset',
        template: 'auth.account_exists',
        now,
      })
    }
  })
}
