import type { PleskAction } from '../../db/schema.ts'

/** A Plesk action as the API shows it (contract "B — Plesk"): times ISO-8601 UTC; never a password. */
export interface PleskActionView {
  id: string
  subscription_id: string
  action: PleskAction['action']
  status: PleskAction['status']
  error: string | null
  created_at: string
  finished_at: string | null
}

export function viewPleskAction(a: PleskAction): PleskActionView {
  return {
    id: a.id,
    subscription_id: a.subscription_id,
    action: a.action,
    status: a.status,
    error: a.error,
    created_at: a.created_at.toISOString(),
    finished_at: a.finished_at === null ? null : a.finished_at.toISOString(),
  }
}
