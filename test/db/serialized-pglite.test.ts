import { test } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { AbortedTransactionError, CompiledQuery, Kysely, sql } from 'kysely'
import { PGlite } from '@electric-sql/pglite'
import { SerializedPGliteDialect } from '../../src/db/serialized-pglite.ts'

// oxbill's PGlite dialect hands its one session to one caller at a time; these run on PGlite only
// (no helper.ts), since the PostgreSQL suite uses kysely's own pooled driver.

interface T {
  t: { id: number; who: string }
}

async function open(): Promise<{ db: Kysely<T>; pglite: PGlite }> {
  const pglite = await PGlite.create('memory://')
  const db = new Kysely<T>({ dialect: new SerializedPGliteDialect(pglite) })
  await sql`CREATE TABLE t (id int PRIMARY KEY, who text NOT NULL)`.execute(db)
  return { db, pglite }
}

/** A promise the test resolves by hand, to hold a transaction open. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void
  const promise = new Promise<void>(resolve => {
    open = resolve
  })
  return { promise, open }
}

const txid = async (db: Kysely<T>): Promise<string> =>
  (await sql<{ id: string }>`SELECT txid_current()::text AS id`.execute(db)).rows[0]!.id

test('two concurrent transactions run one after the other, each in its own transaction', async () => {
  const { db } = await open()
  try {
    const log: string[] = []
    const run = (who: string, base: number) =>
      db.transaction().execute(async trx => {
        log.push(`${who} begin`)
        const first = await txid(trx)
        await trx.insertInto('t').values({ id: base, who }).execute()
        await sleep(20)
        await trx
          .insertInto('t')
          .values({ id: base + 1, who })
          .execute()
        const last = await txid(trx)
        log.push(`${who} end`)
        return [first, last]
      })
    const [a, b] = await Promise.all([run('a', 1), run('b', 10)])
    assert.deepEqual(log, ['a begin', 'a end', 'b begin', 'b end'])
    assert.equal(a[0], a[1], "a's statements share one transaction")
    assert.equal(b[0], b[1], "b's statements share one transaction")
    assert.notEqual(a[0], b[0])
    assert.equal((await db.selectFrom('t').selectAll().execute()).length, 4)
  } finally {
    await db.destroy()
  }
})

test('a query outside a transaction waits until the open transaction commits', async () => {
  const { db } = await open()
  try {
    const hold = gate()
    const inserted = gate()
    const log: string[] = []
    const tx = db.transaction().execute(async trx => {
      await trx.insertInto('t').values({ id: 1, who: 'tx' }).execute()
      inserted.open()
      await hold.promise
      log.push('commit')
    })
    await inserted.promise
    const outside = db
      .selectFrom('t')
      .selectAll()
      .execute()
      .then(rows => {
        log.push('select')
        return rows
      })
    await sleep(30)
    assert.deepEqual(log, [], 'the select has not run inside the open transaction')
    hold.open()
    await tx
    const rows = await outside
    assert.deepEqual(log, ['commit', 'select'])
    assert.deepEqual(rows, [{ id: 1, who: 'tx' }])
  } finally {
    await db.destroy()
  }
})

test('a failed transaction is rolled back and the next caller gets a clean session', async () => {
  const { db } = await open()
  try {
    const failing = db.transaction().execute(async trx => {
      await trx.insertInto('t').values({ id: 1, who: 'gone' }).execute()
      throw new Error('boom')
    })
    const next = db.transaction().execute(trx => txid(trx))
    await assert.rejects(failing, /boom/)
    await next
    assert.deepEqual(await db.selectFrom('t').selectAll().execute(), [])
    // A failing statement outside a transaction does not block the queue either.
    await assert.rejects(sql`SELECT * FROM missing`.execute(db), /missing/)
    assert.deepEqual(await db.selectFrom('t').selectAll().execute(), [])
  } finally {
    await db.destroy()
  }
})

test('commit after a caught statement error reports the rollback instead of succeeding', async () => {
  const { db } = await open()
  try {
    await assert.rejects(
      db.transaction().execute(async trx => {
        await trx.insertInto('t').values({ id: 1, who: 'x' }).execute()
        await trx
          .insertInto('t')
          .values({ id: 1, who: 'duplicate' })
          .execute()
          .catch(() => {})
      }),
      AbortedTransactionError,
    )
    assert.deepEqual(await db.selectFrom('t').selectAll().execute(), [])
  } finally {
    await db.destroy()
  }
})

test('savepoints: rolling back to one keeps what came before it', async () => {
  const { db } = await open()
  try {
    const trx = await db.startTransaction().execute()
    await trx.insertInto('t').values({ id: 1, who: 'kept' }).execute()
    const sp = await trx.savepoint('before "two"').execute()
    await sp.insertInto('t').values({ id: 2, who: 'undone' }).execute()
    const back = await sp.rollbackToSavepoint('before "two"').execute()
    await back.commit().execute()
    assert.deepEqual(await db.selectFrom('t').selectAll().execute(), [{ id: 1, who: 'kept' }])
  } finally {
    await db.destroy()
  }
})

test('numAffectedRows counts inserted, updated and deleted rows; a select reports none', async () => {
  const { db } = await open()
  try {
    const [ins] = await db
      .insertInto('t')
      .values([1, 2, 3].map(id => ({ id, who: 'x' })))
      .execute()
    assert.equal(ins!.numInsertedOrUpdatedRows, 3n)
    const [upd] = await db.updateTable('t').set({ who: 'y' }).where('id', '<', 3).execute()
    assert.equal(upd!.numUpdatedRows, 2n)
    const [del] = await db.deleteFrom('t').where('id', '=', 3).execute()
    assert.equal(del!.numDeletedRows, 1n)
    const none = await db.updateTable('t').set({ who: 'z' }).where('id', '=', 99).executeTakeFirstOrThrow()
    assert.equal(none.numUpdatedRows, 0n)
    const select = await db.executeQuery(CompiledQuery.raw('SELECT * FROM t'))
    assert.equal(select.numAffectedRows, undefined)
    assert.equal(select.rows.length, 2)
  } finally {
    await db.destroy()
  }
})

test('destroy lets the running transaction finish, then closes PGlite', async () => {
  const { db, pglite } = await open()
  const hold = gate()
  const started = gate()
  const tx = db.transaction().execute(async trx => {
    started.open()
    await hold.promise
    await trx.insertInto('t').values({ id: 1, who: 'last' }).execute()
  })
  await started.promise
  const destroyed = db.destroy()
  await sleep(10)
  assert.equal(pglite.closed, false)
  hold.open()
  await tx
  await destroyed
  assert.equal(pglite.closed, true)
})

test('streaming is refused with a clear error', async () => {
  const { db } = await open()
  try {
    const stream = db.selectFrom('t').selectAll().stream()
    await assert.rejects(stream.next(), /PGlite cannot stream/)
  } finally {
    await db.destroy()
  }
})
