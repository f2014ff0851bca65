import { sql } from 'kysely'
import type { Db } from '../../db/connect.ts'
import { JobKind } from '../../outbox/kinds.ts'
import type { TerminationReason } from './terminate-payload.ts'

const REASONS: readonly string[] = ['cancelled', 'unpaid', 'operator']

/**
 * Why the service's previous termination began, if one did and gave up: the lifecycle's retry of
 * it keeps that reason, so an operator's termination still says 'operator' and a customer's
 * immediate cancellation 'cancelled' when the first attempt failed. Read from the last terminate
 * job of the service (terminations are rare, so the scan of that kind's jobs is cheap).
 */
export async function earlierTerminationReason(
  trx: Db,
  service: { kind: 'server' | 'plesk'; id: string },
): Promise<TerminationReason | null> {
  const [kind, key] =
    service.kind === 'server' ? [JobKind.serverTerminate, 'serverId'] : [JobKind.pleskTerminate, 'subscriptionId']
  const row = await trx
    .selectFrom('jobs')
    .select(sql<string | null>`payload->>'reason'`.as('reason'))
    .where('kind', '=', kind)
    .where(sql<string>`payload->>${key}`, '=', service.id)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  const reason = row?.reason ?? null
  return reason !== null && REASONS.includes(reason) ? (reason as TerminationReason) : null
}
