import type { Db } from '../../db/connect.ts'
import type { PleskSubscriptionStatus } from '../../db/states.ts'
import { fetchPage, type PageRequest } from '../../db/paginate.ts'
import { iso, isoOrNull } from './views.ts'

/** Plesk subscriptions, newest first, by user and status. FTP passwords are never stored. */
export async function listPleskSubscriptions(db: Db, filter: { userId?: string; status?: string }, page: PageRequest) {
  let q = db.selectFrom('plesk_subscriptions').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc')
  if (filter.userId !== undefined) q = q.where('user_id', '=', filter.userId)
  if (filter.status !== undefined) q = q.where('status', '=', filter.status as PleskSubscriptionStatus)
  const { rows, meta } = await fetchPage(q, page)
  return {
    data: rows.map(s => ({
      id: s.id,
      user_id: s.user_id,
      client_id: s.client_id,
      plan_id: s.plan_id,
      domain_name: s.domain_name,
      ftp_login: s.ftp_login,
      status: s.status,
      plesk_webspace_id: s.plesk_webspace_id,
      auto_renew: s.auto_renew,
      expires_at: iso(s.expires_at),
      cancel_at: isoOrNull(s.cancel_at),
      created_at: iso(s.created_at),
      updated_at: iso(s.updated_at),
    })),
    meta,
  }
}
