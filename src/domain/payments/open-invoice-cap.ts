import { sql } from 'kysely'
import type { Config } from '../../config.ts'
import type { Db } from '../../db/connect.ts'
import { AppError } from '../../lib/errors.ts'
import { OPEN_STATUSES } from './observation.ts'

/**
 * The cap on open crypto invoices per customer (`MAX_OPEN_INVOICES_PER_USER`, default 10): the
 * one check, called in the transaction that writes a new payment row — a crypto order
 * (`chargeFor(...).pay`) and a top-up. Open = a payment in an open status (new, waiting, paying)
 * that is not past its `expired_at` (an intent whose invoice is not created yet: not past its
 * lifetime from creation). At the cap, 409 `too_many_open_invoices` naming the limit; the caller's
 * transaction rolls back, so nothing changes.
 *
 * The user's row is locked before counting, so two concurrent requests of one customer at the cap
 * cannot both pass: the second counts after the first commits. The lock is `FOR NO KEY UPDATE`,
 * the one a balance debit's `UPDATE users` takes: it excludes another such lock but not the
 * key-share lock that the order row's foreign key already holds on the user, where `FOR UPDATE`
 * would have two concurrent orders (each holding a key-share lock) deadlock. Every bound
 * that depends on what one customer holds open (the reconciliation's round, the invoices OxaPay is
 * asked to create) follows from this one.
 */
export async function assertOpenInvoiceCap(
  trx: Db,
  config: Pick<Config, 'maxOpenInvoicesPerUser'>,
  userId: string,
): Promise<void> {
  await trx.selectFrom('users').select('id').where('id', '=', userId).forNoKeyUpdate().execute()
  const open = await countOpenInvoices(trx, userId)
  const limit = config.maxOpenInvoicesPerUser
  if (open >= limit) {
    throw new AppError(
      'too_many_open_invoices',
      `Too many open invoices: at most ${limit} unpaid crypto invoices at a time; pay one or let it expire before creating another`,
      { details: { limit, open } },
    )
  }
}

/** The customer's open invoices: an open status and not past their expiry. */
export async function countOpenInvoices(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('payments')
    .select(eb => eb.fn.countAll().as('n'))
    .where('user_id', '=', userId)
    .where('status', 'in', [...OPEN_STATUSES])
    .where(sql<boolean>`coalesce(expired_at, created_at + make_interval(mins => lifetime_minutes)) > now()`)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
