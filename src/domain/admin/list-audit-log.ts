import type { Db } from '../../db/connect.ts'
import { fetchPage, type PageRequest } from '../../db/paginate.ts'
import { dateRange } from './filters.ts'
import { iso } from './views.ts'

export interface AuditFilter {
  actor?: string
  action?: string
  targetType?: string
  targetId?: string
  requestId?: string
  from?: string
  to?: string
}

/** Audit records, newest first, by actor (key id or "cli"), action, target and time. */
export async function listAuditLog(db: Db, filter: AuditFilter, page: PageRequest) {
  const range = dateRange(filter.from, filter.to)
  let q = db.selectFrom('audit_log').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc')
  if (filter.actor !== undefined) q = q.where('actor', '=', filter.actor)
  if (filter.action !== undefined) q = q.where('action', '=', filter.action)
  if (filter.targetType !== undefined) q = q.where('target_type', '=', filter.targetType)
  if (filter.targetId !== undefined) q = q.where('target_id', '=', filter.targetId)
  if (filter.requestId !== undefined) q = q.where('request_id', '=', filter.requestId)
  if (range.from) q = q.where('created_at', '>=', range.from)
  if (range.to) q = q.where('created_at', '<', range.to)
  const { rows, meta } = await fetchPage(q, page)
  return {
    data: rows.map(a => ({
      id: a.id,
      actor: a.actor,
      request_id: a.request_id,
      action: a.action,
      target_type: a.target_type,
      target_id: a.target_id,
      details: a.details,
      created_at: iso(a.created_at),
    })),
    meta,
  }
}
