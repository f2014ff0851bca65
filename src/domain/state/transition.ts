import type { Db } from '../../db/connect.ts'
import { AppError } from '../../lib/errors.ts'

/**
 * One aggregate's state machine as data: the statuses a row may be inserted with, and for each
 * status the statuses it may move to. A status written by no code has an empty list (or is only
 * a target): the table is what the code does, so adding a move to the code means adding it here.
 */
export interface Machine<S extends string> {
  /** What errors call a row of it ("order", "server"). */
  readonly name: string
  readonly initial: readonly S[]
  readonly moves: { readonly [K in S]: readonly S[] }
}

/**
 * One status write: the row moves to `to` only if it is in `from` now (the conditional WHERE is
 * what makes a move race-safe: a stale `from` moves nothing). `set` is written with it, and
 * `updated_at` becomes `now`.
 */
export interface Move<S extends string, Extra> {
  from: S | readonly S[]
  to: S
  now: Date
  set?: Extra
  /**
   * The caller expects the row in `from` (it holds the job's lease, or it read the row under
   * lock): no row moving is then refused with `invalid_state` rather than passed over.
   */
  required?: boolean
  /** Why, for the move's event when it has a reason (`service.terminated`: cancelled, unpaid, operator). */
  reason?: string
}

export const isDeclared = <S extends string>(m: Machine<S>, from: S, to: S): boolean =>
  (m.moves[from] as readonly S[] | undefined)?.includes(to) === true

/**
 * The `from` list of a move once every `from → to` pair is declared; otherwise `invalid_state`,
 * before any query. Values arrive at run time too (a job payload's previous status), so an
 * unknown status is refused here rather than by the database's CHECK.
 */
export function checkMove<S extends string>(m: Machine<S>, move: Pick<Move<S, unknown>, 'from' | 'to'>): S[] {
  const from: S[] = typeof move.from === 'string' ? [move.from] : [...move.from]
  const refused = from.filter(f => !isDeclared(m, f, move.to))
  if (from.length === 0 || refused.length > 0) {
    throw new AppError(
      'invalid_state',
      `${m.name}: ${(refused.length > 0 ? refused : ['(nothing)']).join(', ')} → ${move.to} is not a transition`,
      { details: { aggregate: m.name, from: refused, to: move.to } },
    )
  }
  return from
}

/** A status a new row is written with, once it is one the machine starts in. */
export function checkInitial<S extends string>(m: Machine<S>, status: S): S {
  if (!m.initial.includes(status)) {
    throw new AppError('invalid_state', `${m.name}: a new one cannot start ${status}`, {
      details: { aggregate: m.name, initial: status },
    })
  }
  return status
}

/** Whether the write moved a row; with `required`, none moving is refused. */
export function moved<S extends string>(m: Machine<S>, id: string, move: Move<S, unknown>, rows: bigint): boolean {
  if (rows > 0n) return true
  if (move.required === true) {
    const from = typeof move.from === 'string' ? [move.from] : move.from
    throw new AppError('invalid_state', `${m.name} ${id} is not ${from.join(' or ')}; it cannot become ${move.to}`, {
      details: { aggregate: m.name, id, from, to: move.to },
    })
  }
  return false
}

/** Tables with one row per aggregate that moves through a `Machine` (`id`, `status`, `updated_at`). */
export type MovingTable =
  'orders' | 'servers' | 'server_addons' | 'server_actions' | 'plesk_subscriptions' | 'plesk_actions'

/**
 * The conditional status write of one row (see `Move`): declared moves only, `status IN from` in
 * the WHERE, `set` and `updated_at` with it. True when it moved. Each table's own mover types the
 * statuses and the `set` (its `Move<S, Extra>`) and adds what the move means (its events).
 */
export async function moveRow<S extends string>(
  trx: Db,
  table: MovingTable,
  machine: Machine<S>,
  id: string,
  move: Move<S, object>,
): Promise<boolean> {
  const from = checkMove(machine, move)
  // Kysely cannot type an update over a union of tables; the callers' Move types did it.
  const res = await trx
    .updateTable(table as 'orders')
    .set({ ...move.set, status: move.to, updated_at: move.now } as never)
    .where('id', '=', id)
    .where('status', 'in', from as never)
    .executeTakeFirst()
  return moved(machine, id, move, res.numUpdatedRows)
}
