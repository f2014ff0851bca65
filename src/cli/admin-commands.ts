import { systemClock } from '../deps.ts'
import { migrateToLatest } from '../db/migrate.ts'
import { loadConfig } from '../config.ts'
import { connectDb } from '../db/connect.ts'
import { createUser } from '../domain/users/create-user.ts'
import { adjustBalance } from '../domain/billing/adjust-balance.ts'
import { auditLedger } from '../domain/billing/ledger.ts'
import { auditPayments } from '../domain/payments/audit-payments.ts'
import { auditDelivery } from '../domain/billing/audit-delivery.ts'
import { issueApiKey, revokeApiKey } from '../domain/auth/api-keys.ts'
import { notFound } from '../lib/errors.ts'
import { writeAudit } from '../domain/admin/audit-log.ts'
import { flags, printJson, required, withDb } from './context.ts'

/** `oxbill migrate` */
export async function migrate(argv: string[]): Promise<number> {
  flags(argv, {})
  const config = loadConfig(argv)
  const h = await connectDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  try {
    const applied = await migrateToLatest(h.db)
    process.stderr.write(applied.length > 0 ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n')
    return 0
  } finally {
    await h.close()
  }
}

/** `oxbill users create --email E [--balance 100.00]`: stdout carries only the JSON result. */
export async function usersCreate(argv: string[]): Promise<number> {
  const { values } = flags(argv, {
    email: { type: 'string' },
    username: { type: 'string' },
    balance: { type: 'string' },
    admin: { type: 'boolean' },
  })
  const email = required(values.email, 'email')
  return withDb(argv, async h => {
    const res = await createUser(h.db, {
      email,
      username: values.username,
      balance: values.balance,
      actor: 'cli',
      admin: values.admin === true,
    })
    printJson({ user_id: res.userId, api_key: res.apiKey })
    return 0
  })
}

/** `oxbill keys create --user ID [--admin]` */
export async function keysCreate(argv: string[]): Promise<number> {
  const { values } = flags(argv, { user: { type: 'string' }, admin: { type: 'boolean' }, name: { type: 'string' } })
  return withDb(argv, async h => {
    const userId = required(values.user, 'user')
    const user = await h.db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst()
    if (!user) throw notFound('user', userId)
    const key = await h.db.transaction().execute(async trx => {
      const k = await issueApiKey(trx, {
        userId,
        scopes: values.admin === true ? ['admin'] : [],
        name: values.name,
      })
      await writeAudit(trx, {
        actor: 'cli',
        action: 'key.create',
        targetType: 'api_key',
        targetId: k.id,
        details: { user_id: userId, admin: values.admin === true },
      })
      return k
    })
    printJson({ key_id: key.id, api_key: key.key, prefix: key.prefix })
    return 0
  })
}

/** `oxbill keys revoke ID` */
export async function keysRevoke(argv: string[]): Promise<number> {
  const { positionals } = flags(argv, {})
  return withDb(argv, async h => {
    const id = required(positionals[0], 'key id (positional)')
    if (!(await revokeApiKey(h.db, id, systemClock.now()))) throw notFound('active api key', id)
    await writeAudit(h.db, { actor: 'cli', action: 'key.revoke', targetType: 'api_key', targetId: id })
    printJson({ key_id: id, revoked: true })
    return 0
  })
}

/** `oxbill balance credit --user ID --amount 10.00 --reason TEXT` */
export async function balanceCredit(argv: string[]): Promise<number> {
  const { values } = flags(argv, { user: { type: 'string' }, amount: { type: 'string' }, reason: { type: 'string' } })
  const input = {
    userId: required(values.user, 'user'),
    amount: required(values.amount, 'amount'),
    reason: required(values.reason, 'reason'),
    actor: 'cli',
  }
  return withDb(argv, async h => {
    const res = await adjustBalance(h.db, input)
    printJson({ ledger_id: res.ledgerId, balance: res.balance })
    return 0
  })
}

/**
 * `oxbill audit`: exit 1 when any user's balance differs from the sum of its ledger, any crypto
 * payment's credited total from the sum of its `payment_credit` rows, or what was paid from what
 * was delivered (`auditDelivery`).
 */
export async function audit(argv: string[]): Promise<number> {
  flags(argv, {})
  return withDb(argv, async (h, config) => {
    const res = await auditLedger(h.db)
    const pay = await auditPayments(h.db)
    const delivery = await auditDelivery(h.db, {
      now: new Date(),
      suspendGraceHours: config.suspendGraceHours,
      toleranceMs: 2 * config.lifecycleIntervalMs,
    })
    const ok = res.violations.length === 0 && pay.violations.length === 0 && delivery.violations.length === 0
    printJson({
      users_checked: res.users,
      violations: res.violations,
      payments_checked: pay.payments,
      payment_violations: pay.violations,
      services_checked: delivery.services,
      delivery_violations: delivery.violations,
      ok,
    })
    return ok ? 0 : 1
  })
}
