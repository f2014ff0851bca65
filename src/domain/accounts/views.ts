import type { Db } from '../../db/connect.ts'
import type { User } from '../../db/schema.ts'
import { notFound } from '../../lib/errors.ts'
import { formatTimestamp } from '../orders/render.ts'

/** The account as the portal sees it (`user` in the auth answers). */
export function accountUser(u: User) {
  return {
    id: u.id,
    email: u.email,
    username: u.username,
    email_verified: u.email_verified,
    totp_enabled: u.totp_secret_sealed !== null,
    created_at: formatTimestamp(u.created_at)!,
  }
}

export type AccountUser = ReturnType<typeof accountUser>

/** The caller's own row; a deactivated user never gets here (authentication refuses it). */
export async function ownUser(db: Db, userId: string): Promise<User> {
  const u = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst()
  if (!u) throw notFound('user', userId)
  return u
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/

/** Trimmed and lower-cased (as `createUser` stores it); null when it is no e-mail address. */
export function normalizeEmail(raw: string): string | null {
  const e = raw.trim().toLowerCase()
  return EMAIL.test(e) && !e.includes('\0') ? e : null
}

/** When a session ends if nothing happens: the earlier of its idle and absolute expiry. */
export const sessionEnds = (s: { idle_expires_at: Date; expires_at: Date }): Date =>
  s.idle_expires_at < s.expires_at ? s.idle_expires_at : s.expires_at

/** What the account use-cases use of the dependencies. */
export type AccountDeps = Pick<import('../../deps.ts').Deps, 'db' | 'clock' | 'config' | 'secretBox' | 'publicUrl'>

/** Where a request comes from, stored with a new session. */
export interface ClientInfo {
  /** `req.ip` (TRUST_PROXY). */
  ip: string
  /** The throttle's bucket for it (an IPv6 client's /64). */
  address: string
  userAgent?: string
}
