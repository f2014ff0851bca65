import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { FakeCustomer, FakePlan, FakeWebspace } from './state.ts'

/**
 * The state file of the fake Plesk: customers, subscriptions, service plans (ids and GUIDs, which
 * subscriptions refer to), id counters and the PRNG state so new GUIDs do not repeat old ones.
 * Passwords are written only as salted SHA-256 (`sha256$<salt hex>$<digest hex>`): the fake keeps
 * plaintext in memory for its verify helpers, and checks the hash once it has been reloaded.
 */
export const PLESK_STATE_FORMAT = 'oxbill-fake-plesk'

export interface FakePleskDump {
  customers: FakeCustomer[]
  webspaces: FakeWebspace[]
  plans: FakePlan[]
  /** Password hashes by customer id. */
  customerPasswords: Record<string, string>
  /** FTP password hashes by webspace id. */
  ftpPasswords: Record<string, string>
  counters: { customer: number; webspace: number }
  /** `SeededRandom.state()` of the GUID generator. */
  random: number
}

/** A secret as the fake holds it: plaintext only while it was set in this process. */
export interface FakeSecret {
  plain: string | null
  hash: string
}

/** Hashes a password with a fresh salt. */
export function hashSecret(plain: string): FakeSecret {
  const salt = randomBytes(16).toString('hex')
  return { plain, hash: `sha256$${salt}$${digest(salt, plain)}` }
}

/** Whether `candidate` is the secret: plaintext compare when held, else against the hash. */
export function secretMatches(secret: FakeSecret | undefined, candidate: string): boolean {
  if (secret === undefined) return false
  if (secret.plain !== null) return secret.plain === candidate
  const [, salt, want] = secret.hash.split('$')
  if (salt === undefined || want === undefined) return false
  const got = Buffer.from(digest(salt, candidate), 'hex')
  const expected = Buffer.from(want, 'hex')
  return got.length === expected.length && timingSafeEqual(got, expected)
}

function digest(salt: string, plain: string): string {
  return createHash('sha256').update(`${salt}:${plain}`, 'utf8').digest('hex')
}

type Obj = Record<string, unknown>

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const isInt = (v: unknown): v is number => Number.isSafeInteger(v)
const isStr = (v: unknown): v is string => typeof v === 'string'
const isStrOrNull = (v: unknown): boolean => v === null || isStr(v)
const HASH = /^sha256\$[0-9a-f]{32}\$[0-9a-f]{64}$/

function need(ok: boolean, what: string): void {
  if (!ok) throw new Error(`invalid ${what}`)
}

/** Checks a state read from disk; throws on anything that would break the fake later. */
export function parsePleskState(raw: unknown): FakePleskDump {
  need(isObj(raw), 'state')
  const r = raw as Obj
  need(Array.isArray(r.customers) && Array.isArray(r.webspaces) && Array.isArray(r.plans), 'customers/webspaces/plans')
  need(isObj(r.counters) && isInt(r.counters.customer) && isInt(r.counters.webspace), 'counters')
  need(isInt(r.random), 'random')
  for (const [i, c] of (r.customers as unknown[]).entries()) {
    need(
      isObj(c) &&
        isInt(c.id) &&
        isStr(c.guid) &&
        isStr(c.login) &&
        isStr(c.name) &&
        isStr(c.company) &&
        isStr(c.email) &&
        isStrOrNull(c.externalId) &&
        isStr(c.description) &&
        isInt(c.status) &&
        isStr(c.createdAt) &&
        typeof c.hasPassword === 'boolean',
      `customer #${i}`,
    )
  }
  for (const [i, w] of (r.webspaces as unknown[]).entries()) {
    need(
      isObj(w) &&
        isInt(w.id) &&
        isStr(w.guid) &&
        isStr(w.name) &&
        (w.ownerId === null || isInt(w.ownerId)) &&
        isInt(w.status) &&
        isStr(w.ipAddress) &&
        isStrOrNull(w.planGuid) &&
        (w.expiration === null || isInt(w.expiration)) &&
        typeof w.locked === 'boolean' &&
        isStrOrNull(w.ftpLogin) &&
        typeof w.hasFtpPassword === 'boolean' &&
        isStr(w.createdAt),
      `webspace #${i}`,
    )
  }
  for (const [i, p] of (r.plans as unknown[]).entries()) {
    need(isObj(p) && isInt(p.id) && isStr(p.name) && isStr(p.guid) && isStrOrNull(p.externalId), `plan #${i}`)
  }
  for (const key of ['customerPasswords', 'ftpPasswords'] as const) {
    const map = r[key]
    need(isObj(map) && Object.entries(map).every(([id, h]) => /^\d+$/.test(id) && isStr(h) && HASH.test(h)), key)
  }
  return raw as FakePleskDump
}
