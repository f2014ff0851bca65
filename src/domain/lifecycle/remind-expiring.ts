import { sql, type RawBuilder } from 'kysely'
import { newId } from '../../lib/ids.ts'
import type { Cents } from '../../lib/money.ts'
import { addHours, hourlyExtensionPrice, pleskPrice, TERM_HOURS } from '../billing/pricing.ts'
import { eur, iso, serverRef, subscriptionRef } from '../events/record-object-event.ts'
import type { LifecycleDeps } from './settings.ts'

/** Days before expiry at which `service.expiring` is written, largest first. */
export const REMINDER_DAYS = [7, 3, 1] as const

/** What one scan wrote. */
export interface ReminderCounts {
  expiring: number
  balanceLow: number
  /** Kinds whose scan failed (logged; the next run tries again, the keys keep it once). */
  failures: number
}

/*
 * A service kind the scan reads: its table under the alias its `ServiceRef` fragment expects, and
 * what its next renewal costs, per plan, by the rule the auto-renewal charges (computed here with
 * bigint cents from the small plan catalog, so the price rule stays in `pricing.ts`, not in SQL).
 * Server addons are not a kind: they ride on their server's expiry and its renewal.
 */
interface ServiceSource {
  kind: 'server' | 'plesk_subscription'
  /** The table under the alias `ref` is written for. */
  from: RawBuilder<unknown>
  alias: 's' | 'p'
  expires: string
  ref: RawBuilder<unknown>
  prices(deps: LifecycleDeps): Promise<Array<{ id: string; renewal: Cents }>>
}

const SOURCES: readonly ServiceSource[] = [
  {
    kind: 'server',
    from: sql`servers s`,
    alias: 's',
    expires: 's.expire_date',
    ref: serverRef,
    prices: async deps =>
      (await deps.db.selectFrom('vps_plans').select(['id', 'price_cents']).execute()).map(p => ({
        id: p.id,
        renewal: hourlyExtensionPrice(p.price_cents, TERM_HOURS),
      })),
  },
  {
    kind: 'plesk_subscription',
    from: sql`plesk_subscriptions p`,
    alias: 'p',
    expires: 'p.expires_at',
    ref: subscriptionRef,
    prices: async deps =>
      (await deps.db.selectFrom('plesk_plans').select(['id', 'price_cents']).execute()).map(p => ({
        id: p.id,
        renewal: pleskPrice(p.price_cents, 1),
      })),
  },
]

/**
 * Writes the reminders before expiry (issue 11): `service.expiring` at 7, 3 and 1 days before for
 * every active service of an active owner (a deactivated one can neither act on it nor be
 * charged) that is not cancelled (its owner chose to let it end; `service.cancelled` told them
 * when) and will not renew by itself (auto-renew off, or an owner's balance below
 * the renewal price), and `balance.low` once per term for an auto-renewing one the balance does
 * not cover. Only the nearest threshold is written (a scan that was down from 8 days to 2 writes
 * the 3-day reminder, not the 7-day one as well), once per service, term and threshold: the
 * event's dedupe key names them, so overlapping runs and re-runs write nothing twice and a new
 * term (after a renewal) gets its own reminders.
 *
 * Set-based: one INSERT … SELECT … ON CONFLICT DO NOTHING per keyset batch of candidates, which
 * reads the batch without locks, builds the payloads in SQL like every other service event and
 * writes both event types; a batch costs one short statement however many events it writes.
 * Run after the auto-renewals, so a service renewed in this run is not reminded of its old term.
 */
export async function remindExpiring(deps: LifecycleDeps): Promise<ReminderCounts> {
  const counts: ReminderCounts = { expiring: 0, balanceLow: 0, failures: 0 }
  for (const source of SOURCES) {
    try {
      const r = await scan(deps, source)
      counts.expiring += r.expiring
      counts.balanceLow += r.balanceLow
    } catch (err) {
      counts.failures++
      deps.logger.error(
        { kind: source.kind, error: err instanceof Error ? err.message : String(err) },
        'expiry reminders failed; the next run tries again',
      )
    }
  }
  return counts
}

async function scan(deps: LifecycleDeps, source: ServiceSource): Promise<{ expiring: number; balanceLow: number }> {
  const now = deps.clock.now()
  const prices = await source.prices(deps)
  const planIds = prices.map(p => p.id)
  const renewals = prices.map(p => p.renewal.toString())
  const limit = deps.settings.batchSize
  const exp = sql.raw(source.expires)
  const col = (name: string) => sql.raw(`${source.alias}.${name}`)
  // Thresholds ascending: the first one the expiry is within is the reminder due now.
  const daysLeft = sql`CASE ${sql.join(
    [...REMINDER_DAYS].reverse().map(d => sql`WHEN ${exp} <= ${addHours(now, d * 24)} THEN ${sql.lit(d)}`),
    sql` `,
  )} END`
  const out = { expiring: 0, balanceLow: 0 }
  let after = ''
  for (;;) {
    // Ids for the rows a batch may write, taken by row number: ids stay `newId`'s (time-sortable).
    const expiringIds = Array.from({ length: limit }, () => newId('event'))
    const lowIds = Array.from({ length: limit }, () => newId('event'))
    const { rows } = await sql<{ scanned: string; last: string | null; expiring: string; low: string }>`
      WITH batch AS (
        SELECT ${col('id')} AS id, ${col('user_id')} AS user_id, ${col('auto_renew')} AS auto_renew, ${source.ref} AS ref, ${iso(source.expires)} AS term,
          ${daysLeft} AS days_left, u.balance_cents AS balance, price.cents AS price
        FROM ${source.from}
        JOIN users u ON u.id = ${col('user_id')}
        JOIN unnest(${planIds}::text[], ${renewals}::bigint[]) AS price(plan_id, cents) ON price.plan_id = ${col('plan_id')}
        WHERE ${col('status')} = 'active' AND u.is_active AND ${col('cancel_at')} IS NULL
          AND ${exp} > ${now} AND ${exp} <= ${addHours(now, REMINDER_DAYS[0] * 24)}
          AND ${col('id')} > ${after}
        ORDER BY ${col('id')}
        LIMIT ${limit}
      ),
      lapsing AS (
        SELECT b.*, row_number() OVER (ORDER BY b.id) AS n FROM batch b WHERE NOT b.auto_renew OR b.balance < b.price
      ),
      -- Inserted in id order, so concurrent runs take the unique keys in one order (no deadlock).
      expiring AS (
        INSERT INTO events (id, type, occurred_at, user_id, data, dedupe_key)
        SELECT (${expiringIds}::text[])[l.n::int], 'service.expiring', ${now}, l.user_id,
          jsonb_build_object('service', l.ref, 'days_left', l.days_left, 'auto_renew', l.auto_renew,
            'renewal_price', ${eur('l.price')}, 'balance', ${eur('l.balance')}),
          ${`expiring:${source.kind}:`} || l.id || ':' || l.term || ':' || l.days_left
        FROM lapsing l ORDER BY l.id
        ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
        RETURNING 1
      ),
      low AS (
        INSERT INTO events (id, type, occurred_at, user_id, data, dedupe_key)
        SELECT (${lowIds}::text[])[l.n::int], 'balance.low', ${now}, l.user_id,
          jsonb_build_object('balance', ${eur('l.balance')}, 'needed', ${eur('l.price')}, 'service', l.ref),
          ${`balance_low:${source.kind}:`} || l.id || ':' || l.term
        FROM lapsing l WHERE l.auto_renew ORDER BY l.id
        ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM batch) AS scanned, (SELECT max(id) FROM batch) AS last,
        (SELECT count(*) FROM expiring) AS expiring, (SELECT count(*) FROM low) AS low`.execute(deps.db)
    const r = rows[0]!
    out.expiring += Number(r.expiring)
    out.balanceLow += Number(r.low)
    if (Number(r.scanned) < limit || r.last === null) return out
    after = r.last
  }
}
