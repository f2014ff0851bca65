import type { ServerAction } from '../../db/schema.ts'

/** A power action as the API shows it (contract "Power"): times ISO-8601 UTC. */
export interface ServerActionView {
  id: string
  server_id: string
  action: ServerAction['action']
  status: ServerAction['status']
  error: string | null
  created_at: string
  finished_at: string | null
}

export function viewServerAction(a: ServerAction): ServerActionView {
  return {
    id: a.id,
    server_id: a.server_id,
    action: a.action,
    status: a.status,
    error: a.error,
    created_at: a.created_at.toISOString(),
    finished_at: a.finished_at === null ? null : a.finished_at.toISOString(),
  }
}
