import type { ServerAction } from '../../db/schema.ts'
import type { PasswordDelivery } from '../../db/states.ts'

/** A server action as the API shows it (contract "Power", issue 13 rebuild): times ISO-8601 UTC. */
export interface ServerActionView {
  id: string
  server_id: string
  action: ServerAction['action']
  status: ServerAction['status']
  error: string | null
  created_at: string
  finished_at: string | null
  /** A reinstall's image; null for other actions. */
  os_id: string | null
  /** A reset whose password SolusVM answered and that has not been revealed yet. */
  password_ready: boolean
  password_delivery: PasswordDelivery | null
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
    os_id: a.os_image_id,
    // Revealable once the action is done: a password answered by a reset that then failed never took effect.
    password_ready: a.status === 'done' && a.password_sealed !== null,
    password_delivery: a.password_delivery,
  }
}
