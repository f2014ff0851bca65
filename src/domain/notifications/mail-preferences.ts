import type { Db } from '../../db/connect.ts'
import { validation } from '../../lib/errors.ts'
import { hasControlCharacters } from '../../lib/text.ts'
import type { EventType } from '../events/catalog.ts'
import { parseEventTypes } from '../webhooks/endpoint-input.ts'

export interface MailPreferencesView {
  /** false: no mail at all. */
  enabled: boolean
  /** The address chosen for notifications; null: the account's. */
  address: string | null
  /** Where mail goes now: `address`, else the account's e-mail. */
  effective_address: string
  /** Event types mailed; null: every type. */
  events: EventType[] | null
}

/** A plausible single mailbox: no display name, no list, no spaces or control characters. */

const ADDRESS =
  /^[^\s@<>(),;:"\\]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/

export function parseMailAddress(input: string): string {
  const a = input.trim()
  if (a.length > 254 || hasControlCharacters(a) || !ADDRESS.test(a)) {
    throw validation('address is not an e-mail address (name@example.com)', 'address')
  }
  return a
}

async function view(db: Db, userId: string): Promise<MailPreferencesView> {
  const r = await db
    .selectFrom('users as u')
    .leftJoin('mail_preferences as mp', 'mp.user_id', 'u.id')
    .select(['u.email', 'mp.enabled', 'mp.address', 'mp.event_types'])
    .where('u.id', '=', userId)
    .executeTakeFirstOrThrow()
  return {
    enabled: r.enabled ?? true,
    address: r.address ?? null,
    effective_address: r.address ?? r.email,
    events: (r.event_types ?? null) as EventType[] | null,
  }
}

/** A customer's mail choices (no row yet: every event, to the account's address). */
export async function getMailPreferences(db: Db, userId: string) {
  return { preferences: await view(db, userId) }
}

/**
 * Sets what is mailed and where; fields left out keep their value, `address: null` goes back to
 * the account's address and `events: null` to every type. Applies to events fanned out from now on.
 */
export async function setMailPreferences(
  db: Db,
  input: { userId: string; enabled?: boolean; address?: string | null; events?: readonly string[] | null; now: Date },
) {
  const address =
    input.address === undefined || input.address === null ? input.address : parseMailAddress(input.address)
  const events =
    input.events === undefined || input.events === null
      ? input.events
      : input.events.length === 0
        ? []
        : parseEventTypes(input.events)
  const set = {
    ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
    ...(address !== undefined ? { address } : {}),
    ...(events !== undefined ? { event_types: events } : {}),
    updated_at: input.now,
  }
  await db
    .insertInto('mail_preferences')
    .values({ user_id: input.userId, ...set })
    .onConflict(oc => oc.column('user_id').doUpdateSet(set))
    .execute()
  return { preferences: await view(db, input.userId) }
}
