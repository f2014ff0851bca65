import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { freshDb } from '../helper.ts'
import { migrateToLatest } from '../../src/db/migrate.ts'
import type { Db } from '../../src/db/connect.ts'
import {
  type JobState,
  JOB_STATES,
  ORDER_STATUSES,
  PAYMENT_STATUSES,
  PLESK_CLIENT_STATUSES,
  PLESK_SUBSCRIPTION_STATUSES,
  SERVER_ADDON_STATUSES,
  SERVER_STATUSES,
} from '../../src/db/states.ts'
import { AppError } from '../../src/lib/errors.ts'
import { createSecretBox } from '../../src/lib/secret-box.ts'
import {
  DEMO_CLIENT_ID,
  DEMO_SERVER_ID,
  DEMO_SUBSCRIPTION_ID,
  DEMO_USER_ID,
  seedDemo,
} from '../../src/seed/seed-demo.ts'
import { DEMO_ADDONS } from '../../src/seed/demo-catalog.ts'
import { nextStatus } from '../../src/domain/payments/observation.ts'
import { checkInitial, checkMove, isDeclared, type Machine } from '../../src/domain/state/transition.ts'
import { moveOrder, ORDER } from '../../src/domain/state/orders.ts'
import { moveServer, moveServerAddon, SERVER, SERVER_ADDON } from '../../src/domain/state/servers.ts'
import {
  movePleskClient,
  movePleskSubscription,
  PLESK_CLIENT,
  PLESK_SUBSCRIPTION,
} from '../../src/domain/state/plesk.ts'
import { movePayment, movePayments, PAYMENT } from '../../src/domain/state/payments.ts'
import { JOB, moveJobs } from '../../src/domain/state/jobs.ts'

// Issue 10 item 3: each aggregate's transitions are one table, and its one write function
// refuses a move the table does not declare, before any query; on a real database a refused
// move leaves the row as it was, and a declared move from a stale status moves nothing.

/** A database handle that fails the test if anything so much as builds a query on it. */
const untouchable = new Proxy(
  {},
  {
    get(_t, prop) {
      throw new Error(`the database was used (${String(prop)}) for a refused transition`)
    },
  },
) as Db

const isInvalidState = (e: unknown): boolean => e instanceof AppError && e.code === 'invalid_state'

type Mover<S extends string> = (db: Db, id: string, move: { from: S; to: S; now: Date }) => Promise<unknown>

interface Aggregate<S extends string> {
  machine: Machine<S>
  values: readonly S[]
  move: Mover<S>
}

const aggregates: Aggregate<string>[] = [
  { machine: ORDER, values: ORDER_STATUSES, move: moveOrder },
  { machine: SERVER, values: SERVER_STATUSES, move: moveServer },
  { machine: SERVER_ADDON, values: SERVER_ADDON_STATUSES, move: moveServerAddon },
  { machine: PLESK_CLIENT, values: PLESK_CLIENT_STATUSES, move: movePleskClient },
  { machine: PLESK_SUBSCRIPTION, values: PLESK_SUBSCRIPTION_STATUSES, move: movePleskSubscription },
  { machine: PAYMENT, values: PAYMENT_STATUSES, move: movePayment },
  {
    machine: JOB,
    values: JOB_STATES,
    move: (db: Db, id: string, m: { from: JobState; to: JobState; now: Date }) =>
      moveJobs(db, eb => eb('id', '=', id), m),
  },
] as unknown as Aggregate<string>[]

test('each table covers exactly the values of states.ts, and names only those', () => {
  for (const { machine, values } of aggregates) {
    assert.deepEqual(Object.keys(machine.moves).sort(), [...values].sort(), machine.name)
    for (const to of [...Object.values(machine.moves).flat(), ...machine.initial]) {
      assert.ok(values.includes(to), `${machine.name}: ${to}`)
    }
  }
})

test('every undeclared pair is refused with invalid_state and no query, for each aggregate', async () => {
  const now = new Date('2030-01-01T00:00:00Z')
  let refused = 0
  for (const { machine, values, move } of aggregates) {
    for (const from of values) {
      for (const to of values) {
        if (isDeclared(machine, from, to)) {
          assert.doesNotThrow(() => checkMove(machine, { from, to }))
          continue
        }
        assert.throws(() => checkMove(machine, { from, to }), isInvalidState, `${machine.name} ${from} → ${to}`)
        await assert.rejects(
          move(untouchable, 'x', { from, to, now }),
          isInvalidState,
          `${machine.name} ${from} → ${to}`,
        )
        refused++
      }
    }
    // A list with one undeclared source is refused whole; so is an empty one, and a status no table knows.
    const to = values.find(t => values.some(f => !isDeclared(machine, f, t)))!
    const ok = values.filter(f => isDeclared(machine, f, to))
    const bad = values.find(f => !isDeclared(machine, f, to))!
    assert.throws(() => checkMove(machine, { from: [...ok, bad], to }), isInvalidState)
    assert.throws(() => checkMove(machine, { from: [], to }), isInvalidState)
    assert.throws(() => checkMove(machine, { from: 'nonsense', to }), isInvalidState)
    assert.throws(() => checkInitial(machine, 'nonsense'), isInvalidState)
  }
  assert.ok(refused > 200, `${refused} refused pairs`)
})

test('payments: the table is what nextStatus can do (forward only, or staying put)', () => {
  for (const from of PAYMENT_STATUSES) {
    const reachable = new Set(PAYMENT_STATUSES.map(observed => nextStatus(from, observed)))
    assert.deepEqual([...PAYMENT.moves[from]].sort(), [...reachable].sort(), from)
  }
})

test('the service lifecycle: the moves the use-cases and jobs make are declared, the shortcuts are not', () => {
  const yes: Array<[Machine<string>, string, string]> = [
    [ORDER, 'pending_payment', 'processing'],
    [ORDER, 'processing', 'failed'],
    [ORDER, 'failed', 'processing'],
    [SERVER, 'provisioning', 'active'],
    [SERVER, 'active', 'resizing'],
    [SERVER, 'suspending', 'active'],
    [PLESK_SUBSCRIPTION, 'renewing', 'expired'],
    [JOB, 'running', 'running'],
  ]
  const no: Array<[Machine<string>, string, string]> = [
    [ORDER, 'completed', 'processing'],
    [ORDER, 'cancelled', 'processing'],
    [ORDER, 'pending_payment', 'completed'],
    [SERVER, 'cancelled', 'active'],
    [SERVER, 'pending_payment', 'active'],
    [SERVER, 'active', 'suspended'],
    [SERVER, 'resizing', 'resizing'],
    [SERVER_ADDON, 'assigned', 'unassigned'],
    [PLESK_SUBSCRIPTION, 'cancelled', 'provisioning'],
    [PLESK_CLIENT, 'active', 'pending'],
    [PAYMENT, 'paid', 'expired'],
    [JOB, 'done', 'running'],
    [JOB, 'cancelled', 'pending'],
  ]
  for (const [m, f, t] of yes) assert.ok(isDeclared(m, f, t), `${m.name} ${f} → ${t}`)
  for (const [m, f, t] of no) assert.ok(!isDeclared(m, f, t), `${m.name} ${f} → ${t}`)
  assert.deepEqual([...JOB.initial].sort(), ['blocked', 'pending'])
})

test('on the database: refused moves leave the row, stale ones move nothing, declared ones move', async () => {
  const h = await freshDb()
  try {
    await migrateToLatest(h.db)
    const db = h.db
    // The demo world, not provisioned: an order processing, its server and subscription provisioning, a client pending.
    await seedDemo(db, createSecretBox(randomBytes(32).toString('base64')))
    const order = await db
      .selectFrom('orders')
      .select('id')
      .where('server_id', '=', DEMO_SERVER_ID)
      .executeTakeFirstOrThrow()
    await db
      .insertInto('server_addons')
      .values({
        id: 'sa-1',
        addon_id: DEMO_ADDONS[0].id,
        server_id: DEMO_SERVER_ID,
        user_id: DEMO_USER_ID,
        assigned_price_cents: 399n,
        status: checkInitial(SERVER_ADDON, 'unassigned'),
      })
      .execute()
    await db
      .insertInto('payments')
      .values({ id: 'pay-1', user_id: DEMO_USER_ID, type: 'RECHARGE', amount_cents: 100n, lifetime_minutes: 60 })
      .execute()
    const job = await db
      .selectFrom('jobs')
      .select('id')
      .where('state', '=', 'pending')
      .orderBy('id')
      .executeTakeFirstOrThrow()
    const before = new Date('2001-01-01T00:00:00Z')
    for (const table of ['orders', 'servers', 'server_addons', 'plesk_clients', 'plesk_subscriptions'] as const) {
      await db.updateTable(table).set({ updated_at: before }).execute()
    }
    await db.updateTable('payments').set({ updated_at: before }).execute()
    await db.updateTable('jobs').set({ updated_at: before }).execute()
    const now = new Date('2030-01-01T00:00:00Z')

    const status = async (
      table: 'orders' | 'servers' | 'server_addons' | 'plesk_clients' | 'plesk_subscriptions' | 'payments',
      id: string,
    ) => db.selectFrom(table).select(['status', 'updated_at']).where('id', '=', id).executeTakeFirstOrThrow()
    const unchanged = async (table: Parameters<typeof status>[0], id: string, expected: string) => {
      const row = await status(table, id)
      assert.equal(row.status, expected, `${table} ${id}`)
      assert.equal(row.updated_at.getTime(), before.getTime(), `${table} ${id} updated_at`)
    }

    // Refused: not a transition, whatever the row holds; the row is as it was.
    await assert.rejects(moveOrder(db, order.id, { from: 'processing', to: 'cancelled', now }), isInvalidState)
    await assert.rejects(moveOrder(db, order.id, { from: 'completed', to: 'processing', now }), isInvalidState)
    await unchanged('orders', order.id, 'processing')
    await assert.rejects(moveServer(db, DEMO_SERVER_ID, { from: 'provisioning', to: 'suspended', now }), isInvalidState)
    await unchanged('servers', DEMO_SERVER_ID, 'provisioning')
    await assert.rejects(moveServerAddon(db, 'sa-1', { from: 'unassigned', to: 'cancelled', now }), isInvalidState)
    await unchanged('server_addons', 'sa-1', 'unassigned')
    await assert.rejects(movePleskClient(db, DEMO_CLIENT_ID, { from: 'pending', to: 'pending', now }), isInvalidState)
    await unchanged('plesk_clients', DEMO_CLIENT_ID, 'pending')
    await assert.rejects(
      movePleskSubscription(db, DEMO_SUBSCRIPTION_ID, { from: 'provisioning', to: 'renewing', now }),
      isInvalidState,
    )
    await unchanged('plesk_subscriptions', DEMO_SUBSCRIPTION_ID, 'provisioning')
    await assert.rejects(movePayment(db, 'pay-1', { from: 'new', to: 'nonsense' as 'paid', now }), isInvalidState)
    await unchanged('payments', 'pay-1', 'new')
    await assert.rejects(
      moveJobs(db, eb => eb('id', '=', job.id), { from: 'pending', to: 'done', now }),
      isInvalidState,
    )

    // Declared, but the row is not in `from` (someone else moved it first): nothing moves; `required` refuses.
    assert.equal(await moveOrder(db, order.id, { from: 'pending_payment', to: 'cancelled', now }), false)
    await assert.rejects(
      moveOrder(db, order.id, { from: 'failed', to: 'processing', now, required: true }),
      isInvalidState,
    )
    await unchanged('orders', order.id, 'processing')
    assert.equal(await moveServer(db, DEMO_SERVER_ID, { from: 'active', to: 'suspending', now }), false)
    await unchanged('servers', DEMO_SERVER_ID, 'provisioning')
    assert.equal(await moveServerAddon(db, 'sa-1', { from: 'failed', to: 'unassigned', now }), false)
    await unchanged('server_addons', 'sa-1', 'unassigned')
    assert.equal(await movePleskClient(db, DEMO_CLIENT_ID, { from: 'provision_failed', to: 'pending', now }), false)
    await unchanged('plesk_clients', DEMO_CLIENT_ID, 'pending')
    assert.equal(
      await movePleskSubscription(db, DEMO_SUBSCRIPTION_ID, { from: 'suspending', to: 'active', now }),
      false,
    )
    await unchanged('plesk_subscriptions', DEMO_SUBSCRIPTION_ID, 'provisioning')
    assert.equal(await movePayment(db, 'pay-1', { from: 'waiting', to: 'paid', now }), false)
    assert.equal(await movePayments(db, eb => eb('id', '=', 'pay-1'), { from: ['paying'], to: 'expired', now }), 0)
    await unchanged('payments', 'pay-1', 'new')
    assert.deepEqual(await moveJobs(db, eb => eb('id', '=', job.id), { from: 'blocked', to: 'pending', now }), [])
    // A condition besides the status is kept (a Plesk client already linked to its customer).
    assert.equal(
      await movePleskClient(db, DEMO_CLIENT_ID, {
        from: 'pending',
        to: 'provision_failed',
        now,
        where: eb => eb('plesk_customer_id', 'is not', null),
      }),
      false,
    )
    await unchanged('plesk_clients', DEMO_CLIENT_ID, 'pending')

    // Declared and current: the row moves, with its extra columns and updated_at.
    assert.equal(
      await moveServer(db, DEMO_SERVER_ID, {
        from: 'provisioning',
        to: 'active',
        set: { primary_ip: '192.0.2.1' },
        now,
      }),
      true,
    )
    const s = await db
      .selectFrom('servers')
      .select(['status', 'primary_ip', 'updated_at'])
      .where('id', '=', DEMO_SERVER_ID)
      .executeTakeFirstOrThrow()
    assert.deepEqual(s, { status: 'active', primary_ip: '192.0.2.1', updated_at: now })
    assert.equal(
      await moveOrder(db, order.id, { from: 'processing', to: 'failed', set: { failure_reason: 'test' }, now }),
      true,
    )
    assert.equal((await status('orders', order.id)).status, 'failed')
    assert.equal(await movePayment(db, 'pay-1', { from: 'new', to: 'new', set: { credited_cents: 5n }, now }), true)
    assert.equal(await movePayments(db, eb => eb('id', '=', 'pay-1'), { from: ['new'], to: 'expired', now }), 1)
    assert.equal((await status('payments', 'pay-1')).status, 'expired')
    assert.deepEqual(await moveJobs(db, eb => eb('id', '=', job.id), { from: ['pending'], to: 'running', now }), [
      job.id,
    ])
  } finally {
    await h.drop()
  }
})
