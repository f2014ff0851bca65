import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Migrator, sql, type Migration } from 'kysely'
import { freshDb } from '../helper.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import { checkName, LATER_STATE_CHECKS, STATE_CHECKS } from '../../src/db/states.ts'
import * as m0001 from '../../src/db/migrations/0001_initial.ts'
import * as m0002 from '../../src/db/migrations/0002_payments.ts'
import * as m0003 from '../../src/db/migrations/0003_delivery.ts'
import * as m0004 from '../../src/db/migrations/0004_abuse_limits.ts'
import * as m0005 from '../../src/db/migrations/0005_white_label.ts'

// Issue 10 item 3: every status and kind column has a CHECK built from db/states.ts, on PGlite
// and PostgreSQL alike, and the database refuses a value the types do not list.

/** The quoted literals of a constraint as pg_get_constraintdef prints it (`ARRAY['a'::text, …]`). */
function literals(def: string): string[] {
  return [...def.matchAll(/'((?:[^']|'')*)'/g)].map(m => m[1]!.replaceAll("''", "'"))
}

test('after migration, each status and kind column has its CHECK with exactly the values of states.ts', async () => {
  const h = await freshDb()
  try {
    await migrateToLatest(h.db)
    const { rows } = await sql<{ table: string; name: string; def: string }>`
      SELECT c.conrelid::regclass::text AS table, c.conname AS name, pg_get_constraintdef(c.oid) AS def
      FROM pg_constraint c WHERE c.contype = 'c'`.execute(h.db)
    for (const check of [...STATE_CHECKS, ...LATER_STATE_CHECKS]) {
      const found = rows.filter(r => r.table === check.table && r.name === checkName(check))
      assert.equal(found.length, 1, `${checkName(check)} on ${check.table}`)
      assert.match(found[0]!.def, new RegExp(`\\b${check.column}\\b`), found[0]!.def)
      assert.deepEqual(literals(found[0]!.def).sort(), [...check.values].sort(), checkName(check))
      // No second, older CHECK on the same column is left beside it.
      const others = rows.filter(
        r =>
          r.table === check.table &&
          r.name !== checkName(check) &&
          new RegExp(`^CHECK \\(\\(?${check.column} `).test(r.def),
      )
      assert.deepEqual(others, [], `other checks on ${check.table}.${check.column}`)
    }
  } finally {
    await h.drop()
  }
})

test('an unknown status or kind is refused by the database, on insert and on update', async () => {
  const h = await freshDb()
  try {
    await migrateToLatest(h.db)
    const refused = async (statement: ReturnType<typeof sql>, constraint: string) => {
      await assert.rejects(statement.execute(h.db), (e: Error) => e.message.includes(constraint), constraint)
    }
    await refused(
      sql`INSERT INTO jobs (id, kind, payload, state) VALUES ('j1', 'server.create', '{}', 'pendign')`,
      'jobs_state_check',
    )
    await sql`INSERT INTO jobs (id, kind, payload) VALUES ('j2', 'server.create', '{}')`.execute(h.db)
    await refused(sql`UPDATE jobs SET state = 'finished' WHERE id = 'j2'`, 'jobs_state_check')
    await refused(
      sql`INSERT INTO idempotency_keys (api_key_id, key, fingerprint, state, lease_until) VALUES ('k', 'i', 'f', 'started', now())`,
      'idempotency_keys_state_check',
    )
    await sql`INSERT INTO users (id, username, email) VALUES ('u1', 'u', 'u@example.com')`.execute(h.db)
    await refused(
      sql`INSERT INTO orders (id, user_id, order_number, order_type, status, amount_cents) VALUES ('o1', 'u1', 'N1', 'new_server', 'complete', 0)`,
      'orders_status_check',
    )
    await refused(
      sql`INSERT INTO orders (id, user_id, order_number, order_type, status, amount_cents) VALUES ('o1', 'u1', 'N1', 'vps', 'completed', 0)`,
      'orders_order_type_check',
    )
    await sql`INSERT INTO orders (id, user_id, order_number, order_type, status, amount_cents) VALUES ('o1', 'u1', 'N1', 'new_server', 'completed', 0)`.execute(
      h.db,
    )
    await refused(sql`UPDATE orders SET payment_method = 'card' WHERE id = 'o1'`, 'orders_payment_method_check')
    await refused(
      sql`INSERT INTO ledger_entries (id, user_id, delta_cents, balance_after_cents, kind, reason, actor) VALUES ('l1', 'u1', 1, 1, 'gift', 'r', 'a')`,
      'ledger_entries_kind_check',
    )
    await refused(
      sql`INSERT INTO payments (id, user_id, type, status, amount_cents, lifetime_minutes) VALUES ('p1', 'u1', 'RECHARGE', 'Paid', 100, 60)`,
      'payments_status_check',
    )
  } finally {
    await h.drop()
  }
})

test('a database made by older versions migrates; a value outside the lists stops 0006, naming it', async () => {
  const old: Record<string, Migration> = {
    '0001_initial': m0001,
    '0002_payments': m0002,
    '0003_delivery': m0003,
    '0004_abuse_limits': m0004,
    '0005_white_label': m0005,
  }
  const h = await freshDb()
  try {
    const migrator = new Migrator({
      db: h.db,
      provider: { getMigrations: async () => old },
      migrationTableName: 'oxbill_migrations',
      migrationLockTableName: 'oxbill_migrations_lock',
    })
    const { error } = await migrator.migrateToLatest()
    assert.equal(error, undefined)
    await sql`INSERT INTO jobs (id, kind, payload, state) VALUES ('j1', 'server.create', '{}', 'done'), ('j2', 'server.create', '{}', 'paused')`.execute(
      h.db,
    )
    await assert.rejects(migrateToLatest(h.db), /jobs\.state holds 'paused'/)
    await sql`UPDATE jobs SET state = 'failed' WHERE id = 'j2'`.execute(h.db)
    assert.deepEqual((await migrateToLatest(h.db)).slice(0, 1), ['0006_state_checks'])
  } finally {
    await h.drop()
  }
})
