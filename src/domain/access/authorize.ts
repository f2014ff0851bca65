import type { Selectable } from 'kysely'
import type { Db } from '../../db/connect.ts'
import type { Database, User } from '../../db/schema.ts'
import { AppError, notFound } from '../../lib/errors.ts'
import { UNAUTHORIZED, type Principal } from '../auth/api-keys.ts'

/**
 * The one authorization rule (docs/architecture.md, "Authorization"). A principal may reach an
 * object when it is its own user's, or any user's for an admin key; another customer's object is
 * a 404 exactly like a missing one, so the answer never says it exists. To *use* an object (an
 * order, a write, an invoice) its owner must also be active, and only then does the object's own
 * rule (a deleted server, a cancelled subscription) answer with its documented error — after
 * ownership, so nobody learns the state of an object that is not theirs. Reading is allowed for a
 * deactivated owner: only admin keys can get that far (the owner's own keys are 401 at
 * authentication) and operators must see what a deactivated account holds.
 */
export type Access = 'read' | 'use'

/** Tables whose rows belong to one user (`user_id`), and the noun their 404 names. */
const KINDS = {
  servers: 'server',
  orders: 'order',
  plesk_clients: 'client',
  plesk_subscriptions: 'subscription',
  server_addons: 'addon',
} as const
export type OwnedTable = keyof typeof KINDS
export type OwnedRow<T extends OwnedTable> = Selectable<Database[T]>

const OTHER_USER = 'user_id does not match the API key; a key may only act for its own user'

/**
 * The user a request names: the caller by default; another user only with an admin key. A
 * customer key naming someone else is a 403 raised before any look-up, so it is the same answer
 * whether that user exists or not.
 */
export function namedUserId(principal: Principal, userId: string | undefined): string {
  const id = userId ?? principal.userId
  if (id !== principal.userId && !principal.isAdmin) throw new AppError('forbidden', OTHER_USER)
  return id
}

function ownedByDefault(principal: Principal): string | null {
  return principal.isAdmin ? null : principal.userId
}

/** Whether `row` is within `owner` (null: anyone's); by default the caller's own, or anyone's for an admin key. */
export function ownedBy(
  principal: Principal,
  row: { user_id: string },
  owner: string | null = ownedByDefault(principal),
): boolean {
  return owner === null || row.user_id === owner
}

/** The named user's row (see namedUserId); 404 if missing and, to use it, if deactivated. */
export async function requireUser(
  db: Db,
  principal: Principal,
  userId: string | undefined,
  access: Access,
): Promise<User> {
  const id = namedUserId(principal, userId)
  const user = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
  if (!user) throw notFound('user', id)
  if (access === 'use' && !user.is_active) throw inactiveUser(principal, id)
  return user
}

/**
 * Whose objects a request reaches: the user it names (who must exist), else the caller — or
 * anyone's (null) for an admin key that names nobody, since operators look objects up by id alone.
 */
export async function ownerScope(db: Db, principal: Principal, userId: string | undefined): Promise<string | null> {
  if (userId === undefined) return principal.isAdmin ? null : principal.userId
  return (await requireUser(db, principal, userId, 'read')).id
}

export interface OwnedOptions<T extends OwnedTable> {
  access: Access
  /**
   * Whose row it must be: a user id, null for anyone's, or the user row requireUser just checked
   * (which spares looking the owner up again). Default: the caller's, or anyone's for an admin key.
   */
  owner?: string | null | User
  /** Lock the row (and, to use it, its owner's) for the transaction `db` is. */
  forUpdate?: boolean
  /** The object's own documented rule for being used; throws its error. */
  usable?: (row: OwnedRow<T>) => void
}

/** The row `id` of `table` if the principal may reach it (module comment), else `notFound(kind, id)`. */
export async function requireOwned<T extends OwnedTable>(
  db: Db,
  principal: Principal,
  table: T,
  id: string,
  opts: OwnedOptions<T>,
): Promise<OwnedRow<T>> {
  const given = opts.owner === undefined ? ownedByDefault(principal) : opts.owner
  const checked = typeof given === 'object' && given !== null ? given : undefined
  const owner = typeof given === 'string' ? given : (checked?.id ?? null)
  // The tables share `id` and `user_id`; Kysely cannot type a query over a union of tables.
  let q = db
    .selectFrom(table as 'servers')
    .selectAll()
    .where('id', '=', id)
  if (owner !== null) q = q.where('user_id', '=', owner)
  if (opts.forUpdate === true) q = q.forUpdate()
  const row = await q.executeTakeFirst()
  if (!row) throw notFound(KINDS[table], id)
  if (opts.access === 'use') {
    if (opts.forUpdate === true) await requireActiveUser(db, principal, row.user_id)
    else if (!checked?.is_active) await activeOrThrow(db, principal, row.user_id)
  }
  opts.usable?.(row as OwnedRow<T>)
  return row as OwnedRow<T>
}

/**
 * Inside the transaction that acts for `userId`: a deactivation that committed after the request
 * authenticated must stop it, so the user row is read again under the lock the debit takes anyway
 * (FOR NO KEY UPDATE, which deactivation's UPDATE waits for). Call it after locking the service row
 * and before money moves, the order every other transaction takes these locks in.
 */
export async function requireActiveUser(trx: Db, principal: Principal, userId: string): Promise<void> {
  const user = await trx
    .selectFrom('users')
    .select('is_active')
    .where('id', '=', userId)
    .forNoKeyUpdate()
    .executeTakeFirst()
  if (!user?.is_active) throw inactiveUser(principal, userId)
}

async function activeOrThrow(db: Db, principal: Principal, userId: string): Promise<void> {
  const user = await db.selectFrom('users').select('is_active').where('id', '=', userId).executeTakeFirst()
  if (!user?.is_active) throw inactiveUser(principal, userId)
}

/**
 * The caller's own user deactivated mid-request gets the 401 its next request gets; a user an
 * admin key acts for counts as absent, the 404 admin keys always had for a deactivated user.
 */
export function inactiveUser(principal: Principal, userId: string): AppError {
  return userId === principal.userId ? new AppError('unauthorized', UNAUTHORIZED) : notFound('user', userId)
}
