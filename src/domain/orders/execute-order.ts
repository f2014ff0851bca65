import { idempotencyScope } from '../auth/api-keys.ts'
import { wallClock, type Deps } from '../../deps.ts'
import type { Db } from '../../db/connect.ts'
import type { Principal } from '../auth/api-keys.ts'
import { AppError, type ErrorCode } from '../../lib/errors.ts'
import { attachPayment, ensureOrderInvoice } from '../payments/create-invoice.ts'
import { recordOrderEvent } from '../events/record-object-event.ts'

/**
 * Runs one order request with Stripe-style idempotency (IETF draft semantics):
 * - the key row is written in the same transaction as the order, so a key exists iff its order does;
 * - a replay returns the first response (a 402 included), with the root password redacted;
 * - the same key with another body → 422; while the first request runs → 409;
 * - a request that died after commit (crash) leaves a `running` row whose lease expires: the next
 *   retry rebuilds the response from the order it created, never placing a second order.
 * A crypto order's OxaPay invoice is created after commit (never inside the transaction). If that
 * call fails the answer is a 503 and the key's lease is released at once, so a retry with the same
 * key resumes from the order and creates the missing invoice.
 */
export interface OrderMeta {
  principal: Principal
  requestId: string
  idempotencyKey?: string
  /** Hash of method, path and canonical body: a key reused for another request is refused. */
  fingerprint: string
  /** Client address, kept with crypto payments (`ip_address` of the transaction endpoints). */
  ip?: string
}

export interface ResponseExtras {
  password?: string
}

export interface PreparedOrder {
  /** Inside the order transaction: re-checks under lock, debits, writes the order, the service and the job. */
  commit(trx: Db): Promise<{
    orderId: string
    jobId?: string
    paymentId?: string
    extras?: ResponseExtras
    /** The use-case wrote `order.created` itself (before its debit, to shorten the user-row lock). */
    eventRecorded?: boolean
  }>
}

export interface OrderResult {
  body: unknown
  replayed: boolean
}

export interface OrderExecution {
  /** Reads and validates the request (404/403/400 here are not pinned to the key). */
  prepare(): Promise<PreparedOrder>
  /** The documented response, built from stored state (fresh, or after a crash). */
  respond(orderId: string, extras: ResponseExtras): Promise<unknown>
}

class KeyTaken extends Error {}

/** Errors that are the outcome of the order itself, pinned to its key like Stripe does. */
const PINNED: ErrorCode[] = ['insufficient_balance']

export async function executeOrder(deps: Deps, meta: OrderMeta, exec: OrderExecution): Promise<OrderResult> {
  const key = meta.idempotencyKey
  if (key !== undefined) {
    const existing = await readKey(deps.db, idempotencyScope(meta.principal), key)
    if (existing) return resume(deps, meta, exec, existing)
  }
  const prepared = await exec.prepare()
  // A running key's lease is between requests (infrastructure), so it runs on wall time.
  const leaseMs = deps.config.provisionDeadlineMs + 30_000
  let committed: Awaited<ReturnType<PreparedOrder['commit']>>
  try {
    committed = await deps.db.transaction().execute(async trx => {
      if (key !== undefined) {
        const inserted = await trx
          .insertInto('idempotency_keys')
          .values({
            api_key_id: idempotencyScope(meta.principal),
            key,
            fingerprint: meta.fingerprint,
            state: 'running',
            lease_until: new Date(wallClock.now().getTime() + leaseMs),
          })
          .onConflict(oc => oc.doNothing())
          .returning('key')
          .executeTakeFirst()
        if (!inserted) throw new KeyTaken()
      }
      const out = await prepared.commit(trx)
      // The order's own event, in its transaction; an order with neither a job nor an invoice
      // (a balance extension) may be applied at once, which the second insert says only then.
      const now = deps.clock.now()
      if (out.eventRecorded !== true) await recordOrderEvent(trx, 'order.created', out.orderId, now)
      if (out.jobId === undefined && out.paymentId === undefined) {
        await recordOrderEvent(trx, 'order.completed', out.orderId, now, { onlyIfStatus: 'completed' })
      }
      if (key !== undefined) {
        await trx
          .updateTable('idempotency_keys')
          .set({ order_id: out.orderId })
          .where('api_key_id', '=', idempotencyScope(meta.principal))
          .where('key', '=', key)
          .execute()
      }
      return out
    })
  } catch (err) {
    if (err instanceof KeyTaken) {
      const row = await readKey(deps.db, idempotencyScope(meta.principal), key!)
      if (row) return resume(deps, meta, exec, row)
      throw new AppError('idempotency_key_in_use', 'A request with this Idempotency-Key is in progress; retry later', {
        retryable: true,
      })
    }
    if (key !== undefined && err instanceof AppError && PINNED.includes(err.code)) {
      // Anyone with an empty balance can pin one per key at the rate limit, so a pinned error is
      // kept only IDEMPOTENCY_ERROR_RETENTION_MINUTES: on a `done` row `lease_until` (unused there
      // otherwise) says until when, and the lifecycle's pruning deletes it after that.
      await deps.db
        .insertInto('idempotency_keys')
        .values({
          api_key_id: idempotencyScope(meta.principal),
          key,
          fingerprint: meta.fingerprint,
          state: 'done',
          response_status: err.status,
          response_body: JSON.stringify({ code: err.code, message: err.message, details: err.details }),
          lease_until: new Date(deps.clock.now().getTime() + deps.config.idempotencyErrorRetentionMinutes * 60_000),
        })
        .onConflict(oc => oc.doNothing())
        .execute()
    }
    throw err
  }
  if (committed.paymentId !== undefined) await invoiceOrRelease(deps, meta, committed.orderId)
  // A deadline of 0 leaves provisioning to the workers (a deployment with `oxbill worker` processes).
  if (committed.jobId !== undefined) {
    if (deps.config.provisionDeadlineMs > 0) await deps.runner.runNow(committed.jobId, deps.config.provisionDeadlineMs)
    else deps.runner.poke()
  }
  const body = await attachPayment(
    deps.db,
    committed.orderId,
    await exec.respond(committed.orderId, committed.extras ?? {}),
  )
  if (key !== undefined) await storeResponse(deps.db, idempotencyScope(meta.principal), key, body)
  return { body, replayed: false }
}

/** Creates the order's invoice; on failure frees the key's lease so the same key can retry at once. */
async function invoiceOrRelease(deps: Deps, meta: OrderMeta, orderId: string): Promise<void> {
  try {
    await ensureOrderInvoice(deps, orderId)
  } catch (err) {
    if (meta.idempotencyKey !== undefined) {
      await deps.db
        .updateTable('idempotency_keys')
        .set({ lease_until: wallClock.now() })
        .where('api_key_id', '=', idempotencyScope(meta.principal))
        .where('key', '=', meta.idempotencyKey)
        .where('state', '=', 'running')
        .execute()
    }
    throw err
  }
}

type KeyRow = NonNullable<Awaited<ReturnType<typeof readKey>>>

async function readKey(db: Db, apiKeyId: string, key: string) {
  return db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('api_key_id', '=', apiKeyId)
    .where('key', '=', key)
    .executeTakeFirst()
}

async function resume(deps: Deps, meta: OrderMeta, exec: OrderExecution, row: KeyRow): Promise<OrderResult> {
  if (row.fingerprint !== meta.fingerprint) {
    throw new AppError(
      'idempotency_key_mismatch',
      'This Idempotency-Key was used with a different request; use a new key for a new request',
    )
  }
  if (row.state === 'done') {
    if (row.response_status === 200) return { body: row.response_body, replayed: true }
    const stored = row.response_body as { code: ErrorCode; message: string; details: Record<string, unknown> }
    throw new AppError(stored.code, stored.message, { details: stored.details })
  }
  // A running row whose lease expired belongs to a request that died after committing its order.
  const wall = wallClock.now()
  const taken = await deps.db
    .updateTable('idempotency_keys')
    .set({ lease_until: new Date(wall.getTime() + 30_000) })
    .where('api_key_id', '=', row.api_key_id)
    .where('key', '=', row.key)
    .where('state', '=', 'running')
    .where('lease_until', '<', wall)
    .executeTakeFirst()
  if (taken.numUpdatedRows !== 1n || row.order_id === null) {
    throw new AppError('idempotency_key_in_use', 'A request with this Idempotency-Key is in progress; retry later', {
      retryable: true,
    })
  }
  await invoiceOrRelease(deps, meta, row.order_id)
  const body = await attachPayment(deps.db, row.order_id, await exec.respond(row.order_id, {}))
  await storeResponse(deps.db, row.api_key_id, row.key, body)
  return { body, replayed: true }
}

async function storeResponse(db: Db, apiKeyId: string, key: string, body: unknown): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({ state: 'done', response_status: 200, response_body: JSON.stringify(redactSecrets(body)) })
    .where('api_key_id', '=', apiKeyId)
    .where('key', '=', key)
    .execute()
}

/** The root password is shown once: stored replays carry `password: null` and an empty `metadata` string. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        if (k === 'password') return [k, null]
        if (typeof v === 'string' && v.startsWith('password=')) return [k, '']
        return [k, redactSecrets(v)]
      }),
    )
  }
  return value
}
