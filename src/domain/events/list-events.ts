import type { Db } from '../../db/connect.ts'
import { fetchPage, type PageRequest } from '../../db/paginate.ts'
import type { EventType } from './catalog.ts'
import type { Principal } from '../auth/api-keys.ts'
import { requireUser } from '../access/authorize.ts'

export interface EventView {
  id: string
  type: EventType
  occurred_at: string
  user_id: string | null
  data: Record<string, unknown>
}

interface Filter {
  types?: readonly EventType[]
  /** Only events after this id (a receiver catching up from the last one it saw). */
  afterId?: string
}

const view = (r: {
  id: string
  type: EventType
  occurred_at: Date
  user_id: string | null
  data: Record<string, unknown>
}): EventView => ({
  id: r.id,
  type: r.type,
  occurred_at: r.occurred_at.toISOString(),
  user_id: r.user_id,
  data: r.data,
})

async function page(db: Db, userId: string | null, filter: Filter, p: PageRequest) {
  let q = db.selectFrom('events').select(['id', 'type', 'occurred_at', 'user_id', 'data']).orderBy('seq', 'desc')
  if (userId !== null) q = q.where('user_id', '=', userId)
  if (filter.types !== undefined && filter.types.length > 0) q = q.where('type', 'in', filter.types)
  if (filter.afterId !== undefined) {
    const after = filter.afterId
    q = q.where('seq', '>', eb => eb.selectFrom('events').select('seq').where('id', '=', after))
  }
  const { rows, meta } = await fetchPage(q, p)
  return { data: rows.map(view), meta }
}

/** A customer's own events, newest first (an admin key may name a user). */
export async function listOwnEvents(
  db: Db,
  input: { principal: Principal; userId?: string; filter: Filter; page: PageRequest },
) {
  const user = await requireUser(db, input.principal, input.userId, 'read')
  return page(db, user.id, input.filter, input.page)
}

/** Every event, newest first, for operators; `userId` narrows to one customer. */
export async function listAllEvents(db: Db, input: { userId?: string; filter: Filter; page: PageRequest }) {
  return page(db, input.userId ?? null, input.filter, input.page)
}
