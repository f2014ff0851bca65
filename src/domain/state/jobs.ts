import type { Expression, ExpressionBuilder, SqlBool, UpdateObject } from 'kysely'
import type { Db } from '../../db/connect.ts'
import type { Database } from '../../db/schema.ts'
import type { JobState } from '../../db/states.ts'
import { checkMove, type Machine, type Move } from './transition.ts'

/**
 * A job (`jobs.state`): written `pending`, or `blocked` until its order's crypto payment; claimed
 * `running` under a lease (again `running` when a dead worker's lease expired), then `done`,
 * `pending` again after a retryable failure, or `failed`. An operator's retry and a singleton's
 * re-arming start it over; an unpaid order's blocked job is `cancelled`.
 */
export const JOB: Machine<JobState> = {
  name: 'job',
  initial: ['pending', 'blocked'],
  moves: {
    blocked: ['pending', 'cancelled'],
    pending: ['running'],
    running: ['running', 'done', 'pending', 'failed'],
    failed: ['pending'],
    done: ['pending'],
    cancelled: [],
  },
}

type Extra = Omit<UpdateObject<Database, 'jobs'>, 'state' | 'updated_at'>

/**
 * Moves every job `where` selects that is in `from` (an order's blocked jobs; one job under its
 * lease token); returns the ids that moved. `required` is not used: callers count the ids.
 */
export async function moveJobs(
  trx: Db,
  where: (eb: ExpressionBuilder<Database, 'jobs'>) => Expression<SqlBool>,
  move: Omit<Move<JobState, Extra>, 'required'>,
): Promise<string[]> {
  const from = checkMove(JOB, move)
  const rows = await trx
    .updateTable('jobs')
    .set({ ...move.set, state: move.to, updated_at: move.now })
    .where('state', 'in', from)
    .where(where)
    .returning('id')
    .execute()
  return rows.map(r => r.id)
}
