import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Db } from '../../db/connect.ts'
import type { Config } from '../../config.ts'
import { newId } from '../../lib/ids.ts'
import type { Principal } from './api-keys.ts'

/**
 * Portal sessions (cookie `oxbill_session`): the cookie holds 32 random bytes (base64url); only
 * their SHA-256 is stored, so the table leaks no usable session. Every request reads the row —
 * no cache — so a revoked session is refused at once, in every API process. A session ends at the
 * first of: revoked, its user deactivated, `SESSION_IDLE_MINUTES` without a request, or
 * `SESSION_ABSOLUTE_HOURS` after its login. Time is the business clock (`deps.clock`), passed in.
 */
export const SESSION_COOKIE = 'oxbill_session'

/** `last_seen_at` (and with it the idle expiry) moves at most once a minute per session. */
const TOUCH_EVERY_MS = 60_000

export type SessionSettings = Pick<Config['accounts'], 'sessionIdleMinutes' | 'sessionAbsoluteHours'>

export const tokenDigest = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex')

export const randomToken = (): string => randomBytes(32).toString('base64url')

export interface NewSession {
  id: string
  token: string
  csrfToken: string
  createdAt: Date
  expiresAt: Date
}

/** Creates a session for `userId`; the token is returned once, for the cookie. */
export async function createSession(
  db: Db,
  settings: SessionSettings,
  opts: { userId: string; now: Date; ip?: string; userAgent?: string },
): Promise<NewSession> {
  const token = randomToken()
  const csrfToken = randomToken()
  const id = newId('session')
  const expiresAt = new Date(opts.now.getTime() + settings.sessionAbsoluteHours * 3_600_000)
  const idle = new Date(Math.min(opts.now.getTime() + settings.sessionIdleMinutes * 60_000, expiresAt.getTime()))
  await db
    .insertInto('sessions')
    .values({
      id,
      user_id: opts.userId,
      token_hash: tokenDigest(token),
      csrf_token: csrfToken,
      created_at: opts.now,
      last_seen_at: opts.now,
      idle_expires_at: idle,
      expires_at: expiresAt,
      ip: opts.ip?.slice(0, 100) ?? null,
      user_agent: opts.userAgent?.slice(0, 500) ?? null,
    })
    .execute()
  return { id, token, csrfToken, createdAt: opts.now, expiresAt }
}

export interface LiveSession {
  principal: Principal & { sessionId: string }
  csrfToken: string
  expiresAt: Date
}

/** Well-formed cookie values only: a base64url of 32 bytes is 43 characters. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/

/**
 * The live session a cookie names, or null (unknown, revoked, expired, user deactivated). Moves
 * `last_seen_at` and the idle expiry forward when the last move is a minute old.
 */
export async function authenticateSession(
  db: Db,
  settings: SessionSettings,
  token: string,
  now: Date,
): Promise<LiveSession | null> {
  if (!TOKEN_SHAPE.test(token)) return null
  const digest = tokenDigest(token)
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id',
      'sessions.user_id',
      'sessions.token_hash',
      'sessions.csrf_token',
      'sessions.last_seen_at',
      'sessions.idle_expires_at',
      'sessions.expires_at',
      'sessions.revoked_at',
      'users.is_active',
    ])
    .where('sessions.token_hash', '=', digest)
    .executeTakeFirst()
  if (!row) return null
  if (!timingSafeEqual(Buffer.from(row.token_hash, 'hex'), Buffer.from(digest, 'hex'))) return null
  if (row.revoked_at !== null || !row.is_active) return null
  const t = now.getTime()
  if (t >= row.idle_expires_at.getTime() || t >= row.expires_at.getTime()) return null
  if (t - row.last_seen_at.getTime() >= TOUCH_EVERY_MS) {
    const idle = new Date(Math.min(t + settings.sessionIdleMinutes * 60_000, row.expires_at.getTime()))
    await db
      .updateTable('sessions')
      .set({ last_seen_at: now, idle_expires_at: idle })
      .where('id', '=', row.id)
      .where('revoked_at', 'is', null)
      .execute()
  }
  return {
    principal: { userId: row.user_id, sessionId: row.id, scopes: [], isAdmin: false },
    csrfToken: row.csrf_token,
    expiresAt: row.expires_at,
  }
}

/** Constant-time comparison of a presented CSRF header with the session's token. */
export function csrfMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false
  const a = createHash('sha256').update(presented, 'utf8').digest()
  const b = createHash('sha256').update(expected, 'utf8').digest()
  return timingSafeEqual(a, b)
}

/** Revokes the session a token names, if it is live (a cookie presented at login: fixation). */
export async function revokeSessionByToken(db: Db, token: string, now: Date): Promise<void> {
  if (!TOKEN_SHAPE.test(token)) return
  await db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('token_hash', '=', tokenDigest(token))
    .where('revoked_at', 'is', null)
    .execute()
}

/** Revokes every live session of a user except `keep`; returns how many (expired ones are dead already). */
export async function revokeUserSessions(db: Db, userId: string, now: Date, keep?: string): Promise<number> {
  let q = db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .where('idle_expires_at', '>', now)
  if (keep !== undefined) q = q.where('id', '<>', keep)
  const res = await q.executeTakeFirst()
  return Number(res.numUpdatedRows)
}
