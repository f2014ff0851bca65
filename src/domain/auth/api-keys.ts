import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Db } from '../../db/connect.ts'
import { wallClock } from '../../deps.ts'
import { newId } from '../../lib/ids.ts'

/**
 * API keys: `oxb_` + 32 random bytes (base62-ish hex). Only the SHA-256 digest and a short prefix
 * are stored; the key itself is shown once, when issued. A fast hash is right here: keys are
 * 256-bit random, so the digest can be looked up by index without brute-force risk.
 */
export const KEY_PREFIX = 'oxb_'

/**
 * Who is calling: an API key (`apiKeyId`) or a portal session (`sessionId`, cookie
 * `oxbill_session`; never admin, no scopes). Exactly one of the two is set.
 */
export interface Principal {
  userId: string
  apiKeyId?: string
  sessionId?: string
  scopes: string[]
  isAdmin: boolean
}

/** The actor written to the audit log and ledger: the key id, or `session:<id>`. */
export function actorOf(p: Principal): string {
  return p.apiKeyId ?? `session:${p.sessionId}`
}

/**
 * Whose Idempotency-Keys a request shares: a key's own (Stripe's rule), or for a portal session
 * the user's, so a retry after signing in again still replays instead of ordering twice.
 */
export function idempotencyScope(p: Principal): string {
  return p.apiKeyId ?? `user:${p.userId}`
}

/** The one 401 body: it never says whether the key was missing, unknown, revoked or its user deactivated. */
export const UNAUTHORIZED = 'missing or invalid API key (send it in the x-api-key header)'

export const hashKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex')

export function generateKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('hex')
}

/** Issues a key for a user; returns the plaintext key, which is never stored. */
export async function issueApiKey(
  db: Db,
  opts: { userId: string; scopes?: string[]; name?: string; key?: string; loopbackOnly?: boolean },
): Promise<{ id: string; key: string; prefix: string }> {
  const key = opts.key ?? generateKey()
  const id = newId('key')
  const prefix = key.slice(0, 12)
  await db
    .insertInto('api_keys')
    .values({
      id,
      user_id: opts.userId,
      prefix,
      key_hash: hashKey(key),
      scopes: opts.scopes ?? [],
      name: opts.name ?? null,
      loopback_only: opts.loopbackOnly ?? false,
    })
    .execute()
  return { id, key, prefix }
}

/**
 * Resolves a presented key to its principal, or null for missing, unknown, revoked keys, keys of a
 * deactivated user, and loopback-only keys used from elsewhere — all of which get the same 401.
 */
export async function authenticate(
  db: Db,
  presented: string | undefined,
  fromLoopback: boolean,
): Promise<Principal | null> {
  if (presented === undefined || presented.length === 0 || presented.length > 200) return null
  const digest = hashKey(presented)
  const row = await db
    .selectFrom('api_keys')
    .innerJoin('users', 'users.id', 'api_keys.user_id')
    .select([
      'api_keys.id',
      'api_keys.user_id',
      'api_keys.key_hash',
      'api_keys.scopes',
      'api_keys.revoked_at',
      'api_keys.loopback_only',
      'users.is_active',
    ])
    .where('api_keys.key_hash', '=', digest)
    .executeTakeFirst()
  if (!row) return null
  // The index lookup already matched; the constant-time compare guards against a collation or
  // driver quirk ever turning "equal enough" into a match.
  if (!timingSafeEqual(Buffer.from(row.key_hash, 'hex'), Buffer.from(digest, 'hex'))) return null
  if (row.revoked_at !== null || !row.is_active) return null
  if (row.loopback_only && !fromLoopback) return null
  touchLastUsed(db, row.id)
  return { userId: row.user_id, apiKeyId: row.id, scopes: row.scopes, isAdmin: row.scopes.includes('admin') }
}

const TOUCH_EVERY_MS = 60_000
const touched = new Map<string, number>()

/**
 * Records when a key was last used, at most once a minute per key and process, off the request's
 * path: the in-process memo keeps the statement off the hot path, the WHERE keeps several API
 * processes from rewriting it more often. A throttle, so wall time.
 */
function touchLastUsed(db: Db, keyId: string): void {
  const now = wallClock.now().getTime()
  if ((touched.get(keyId) ?? 0) > now - TOUCH_EVERY_MS) return
  if (touched.size > 10_000) touched.clear()
  touched.set(keyId, now)
  void db
    .updateTable('api_keys')
    .set({ last_used_at: new Date(now) })
    .where('id', '=', keyId)
    .where(eb => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', new Date(now - TOUCH_EVERY_MS))]))
    .execute()
    .catch(() => {})
}

/** Revokes a key by id; the next request with it gets 401. Callers with a business clock pass `now`. */
export async function revokeApiKey(db: Db, id: string, now: Date): Promise<boolean> {
  const res = await db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return res.numUpdatedRows > 0n
}
