import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { startTestEnv, onPostgres, type TestEnv } from '../helper.ts'
import { waitFor } from '../wait.ts'
import type { Principal } from '../../src/domain/auth/api-keys.ts'
import {
  namedUserId,
  ownedBy,
  ownerScope,
  requireActiveUser,
  requireOwned,
  requireUser,
} from '../../src/domain/access/authorize.ts'
import { AppError } from '../../src/lib/errors.ts'
import { newUuid } from '../../src/lib/ids.ts'

/** The one authorization rule (src/domain/access/authorize.ts), on its own. */
let env: TestEnv
before(async () => {
  env = await startTestEnv({ seed: false })
})
after(async () => {
  await env.close()
})

const as = (user: { id: string; keyId: string }, isAdmin = false): Principal => ({
  userId: user.id,
  apiKeyId: user.keyId,
  scopes: isAdmin ? ['admin'] : [],
  isAdmin,
})

/** What a rejection says: enough to tell two answers apart, or see that they are the same. */
async function refusal(p: Promise<unknown>): Promise<{ status: number; code: string; details: unknown }> {
  try {
    await p
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    return { status: err.status, code: err.code, details: err.details }
  }
  assert.fail('expected a refusal')
}

async function client(userId: string, status: 'pending' | 'active' | 'provision_failed' = 'active'): Promise<string> {
  const id = newUuid()
  await env.deps.db
    .insertInto('plesk_clients')
    .values({
      id,
      user_id: userId,
      name: 'C',
      login: `l${id.slice(0, 8)}`,
      email: 'c@example.test',
      company: null,
      status,
    })
    .execute()
  return id
}

const deactivate = (userId: string) =>
  env.deps.db.updateTable('users').set({ is_active: false }).where('id', '=', userId).execute()

test('namedUserId and ownedBy: a customer key names and reaches its own user only, an admin key anyone', async () => {
  const [me, other, admin] = [await env.user(), await env.user(), await env.user('0.00', true)]
  assert.equal(namedUserId(as(me), undefined), me.id)
  assert.equal(namedUserId(as(me), me.id), me.id)
  assert.equal(namedUserId(as(admin, true), other.id), other.id)
  assert.throws(() => namedUserId(as(me), other.id), { code: 'forbidden' })
  // The 403 comes before any look-up: a user that does not exist gets the same answer.
  assert.throws(() => namedUserId(as(me), 'nobody'), { code: 'forbidden' })

  assert.equal(ownedBy(as(me), { user_id: me.id }), true)
  assert.equal(ownedBy(as(me), { user_id: other.id }), false)
  assert.equal(ownedBy(as(admin, true), { user_id: other.id }), true)
  assert.equal(ownedBy(as(admin, true), { user_id: other.id }, me.id), false, 'an admin naming a user is held to it')

  assert.equal(await ownerScope(env.deps.db, as(me), undefined), me.id)
  assert.equal(await ownerScope(env.deps.db, as(admin, true), undefined), null)
  assert.deepEqual(await refusal(ownerScope(env.deps.db, as(admin, true), 'nobody')), {
    status: 404,
    code: 'not_found',
    details: { resource: 'user', id: 'nobody' },
  })
})

test("requireOwned: another customer's object is the same 404 as a missing one, and its state is never judged", async () => {
  const [me, other, admin] = [await env.user(), await env.user(), await env.user('0.00', true)]
  const theirs = await client(other.id, 'provision_failed')
  const mine = await client(me.id)
  const db = env.deps.db
  const unusable = (row: { status: string }) => {
    if (row.status !== 'active') throw new AppError('invalid_state', `client is ${row.status}`)
  }
  const missing = await refusal(requireOwned(db, as(me), 'plesk_clients', 'no-such-client', { access: 'read' }))
  const foreign = await refusal(requireOwned(db, as(me), 'plesk_clients', theirs, { access: 'use', usable: unusable }))
  assert.deepEqual(missing, { status: 404, code: 'not_found', details: { resource: 'client', id: 'no-such-client' } })
  assert.deepEqual(foreign, { status: 404, code: 'not_found', details: { resource: 'client', id: theirs } })

  assert.equal((await requireOwned(db, as(me), 'plesk_clients', mine, { access: 'use', usable: unusable })).id, mine)
  assert.equal((await requireOwned(db, as(admin, true), 'plesk_clients', theirs, { access: 'read' })).id, theirs)
  // The object's own rule applies once ownership holds, to an admin key too.
  assert.equal(
    (await refusal(requireOwned(db, as(admin, true), 'plesk_clients', theirs, { access: 'use', usable: unusable })))
      .code,
    'invalid_state',
  )
  // An admin key that names a user is held to that user's objects.
  assert.equal(
    (await refusal(requireOwned(db, as(admin, true), 'plesk_clients', theirs, { access: 'read', owner: me.id })))
      .status,
    404,
  )
})

test('a deactivated owner: readable by an admin key, usable by nobody (404 for an admin key, 401 for its own)', async () => {
  const [owner, admin] = [await env.user(), await env.user('0.00', true)]
  const id = await client(owner.id)
  await deactivate(owner.id)
  const db = env.deps.db
  const gone = { status: 404, code: 'not_found', details: { resource: 'user', id: owner.id } }
  const unauthorized = { status: 401, code: 'unauthorized', details: {} }

  assert.equal((await requireUser(db, as(admin, true), owner.id, 'read')).is_active, false)
  assert.equal((await requireOwned(db, as(admin, true), 'plesk_clients', id, { access: 'read' })).id, id)
  assert.deepEqual(await refusal(requireUser(db, as(admin, true), owner.id, 'use')), gone)
  assert.deepEqual(await refusal(requireOwned(db, as(admin, true), 'plesk_clients', id, { access: 'use' })), gone)
  assert.deepEqual(
    await refusal(db.transaction().execute(trx => requireActiveUser(trx, as(admin, true), owner.id))),
    gone,
  )
  // Its own key is refused at authentication; a request already past it is refused here alike.
  assert.deepEqual(await refusal(requireUser(db, as(owner), undefined, 'use')), unauthorized)
  assert.deepEqual(await refusal(requireOwned(db, as(owner), 'plesk_clients', id, { access: 'use' })), unauthorized)
  assert.deepEqual(
    await refusal(db.transaction().execute(trx => requireActiveUser(trx, as(owner), owner.id))),
    unauthorized,
  )
  const row = await requireUser(db, as(admin, true), owner.id, 'read')
  assert.deepEqual(
    await refusal(requireOwned(db, as(admin, true), 'plesk_clients', id, { access: 'use', owner: row })),
    gone,
    'a checked owner row that is inactive is refused too',
  )
})

test(
  'requireActiveUser waits for a deactivation in flight and then refuses',
  { skip: onPostgres ? false : 'PGlite runs one transaction at a time' },
  async () => {
    const u = await env.user()
    const db = env.deps.db
    let release!: () => void
    const held = new Promise<void>(resolve => (release = resolve))
    let updated!: () => void
    const inFlight = new Promise<void>(resolve => (updated = resolve))
    const deactivation = db.transaction().execute(async trx => {
      await trx.updateTable('users').set({ is_active: false }).where('id', '=', u.id).execute()
      updated()
      await held
    })
    await inFlight
    const acting = refusal(db.transaction().execute(trx => requireActiveUser(trx, as(u), u.id)))
    await waitFor(
      async () => {
        const { rows } = await sql<{ n: number }>`
          SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(db)
        return rows[0]!.n > 0
      },
      { what: 'the acting transaction to wait on the user row' },
    )
    release()
    await deactivation
    assert.equal((await acting).code, 'unauthorized')
  },
)

test("a balance order's debit refuses a deactivated owner in its own statement: the caller's 401 (404 for an admin acting), balance and ledger unchanged", async () => {
  const { chargeFor } = await import('../../src/domain/orders/charge.ts')
  const owner = await env.user('50.00')
  const admin = await env.user('0.00', true)
  await env.deps.db.updateTable('users').set({ is_active: false }).where('id', '=', owner.id).execute()
  const snapshot = async () => ({
    balance: String(
      (
        await env.deps.db
          .selectFrom('users')
          .select('balance_cents')
          .where('id', '=', owner.id)
          .executeTakeFirstOrThrow()
      ).balance_cents,
    ),
    ledger: (await env.deps.db.selectFrom('ledger_entries').select('id').where('user_id', '=', owner.id).execute())
      .length,
  })
  const before = await snapshot()
  const pay = (principal: Principal) =>
    env.deps.db.transaction().execute(trx =>
      chargeFor(env.deps, 'balance', 999n).pay(trx, {
        principal,
        userId: owner.id,
        orderId: 'no-such-order',
        orderNumber: 'N',
        reason: 'r',
        actor: principal.apiKeyId!,
        description: 'd',
        now: env.clock.now(),
      }),
    )
  const own = await refusal(pay(as(owner)))
  assert.deepEqual([own.status, own.code], [401, 'unauthorized'])
  assert.equal((await refusal(pay(as(admin, true)))).status, 404)
  assert.deepEqual(await snapshot(), before)
  // Active again: the same debit goes through, so the refusal above was the active check.
  await env.deps.db.updateTable('users').set({ is_active: true }).where('id', '=', owner.id).execute()
  await pay(as(owner))
  assert.equal((await snapshot()).balance, String(5000n - 999n))
})
