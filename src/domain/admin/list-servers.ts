import type { Db } from '../../db/connect.ts'
import type { ServerStatus } from '../../db/states.ts'
import { fetchPage, type PageRequest } from '../../db/paginate.ts'
import { iso, isoOrNull } from './views.ts'

/** Servers, newest first, by user and status. No password is stored, so none can be shown. */
export async function listServers(db: Db, filter: { userId?: string; status?: string }, page: PageRequest) {
  let q = db.selectFrom('servers').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc')
  if (filter.userId !== undefined) q = q.where('user_id', '=', filter.userId)
  if (filter.status !== undefined) q = q.where('status', '=', filter.status as ServerStatus)
  const { rows, meta } = await fetchPage(q, page)
  return {
    data: rows.map(s => ({
      id: s.id,
      user_id: s.user_id,
      name: s.name,
      status: s.status,
      plan_id: s.plan_id,
      os_image_id: s.os_image_id,
      location_id: s.location_id,
      id_solusvm: s.id_solusvm,
      solusvm_uuid: s.solusvm_uuid,
      primary_ip: s.primary_ip,
      extra_ips: s.extra_ips,
      auto_renew: s.auto_renew,
      rental_duration_hours: s.rental_duration_hours,
      expire_date: iso(s.expire_date),
      cancel_at: isoOrNull(s.cancel_at),
      created_at: iso(s.created_at),
      updated_at: iso(s.updated_at),
    })),
    meta,
  }
}
