import type { Selectable } from 'kysely'
import type { PleskClientsTable } from '../../db/schema.ts'
import { formatTimestamp } from '../orders/render.ts'

/**
 * A Plesk client as the docs show it (docs/0xhost-compat.md 3.24): `id` is oxbill's client id (what hosting
 * orders take as `client_id`), `plesk_client_id` the Plesk customer id as a numeric string, or
 * an empty string (documented as a string) while the customer is still being created (`status`
 * pending; active; provision_failed).
 */
export function pleskClientRow(c: Selectable<PleskClientsTable>) {
  return {
    id: c.id,
    plesk_client_id: c.plesk_customer_id === null ? '' : String(c.plesk_customer_id),
    name: c.name,
    login: c.login,
    email: c.email,
    company: c.company ?? '',
    status: c.status,
    created_at: formatTimestamp(c.created_at)!,
    updated_at: formatTimestamp(c.updated_at)!,
  }
}
