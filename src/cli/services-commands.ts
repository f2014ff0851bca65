import { systemClock } from '../deps.ts'
import { validation } from '../lib/errors.ts'
import type { Principal } from '../domain/auth/api-keys.ts'
import { terminateService } from '../domain/admin/terminate-service.ts'
import { cancelIn } from '../domain/services/cancel-service.ts'
import { newId } from '../lib/ids.ts'
import { flags, printJson, required, withDb } from './context.ts'

/**
 * The CLI acts as an operator: any user's service, audited with actor `cli` (the principal's key
 * id is what `actorOf` writes). It only writes the terminate job; the serving process's runner
 * (or `oxbill worker`) runs it.
 */
const CLI: Principal = { userId: 'cli', apiKeyId: 'cli', scopes: [], isAdmin: true }
const WHEN = ['end_of_term', 'immediate'] as const

/** `oxbill services terminate ID [--refund] [--reason TEXT]` */
export async function servicesTerminate(argv: string[]): Promise<number> {
  const { values, positionals } = flags(argv, { refund: { type: 'boolean' }, reason: { type: 'string' } })
  const serviceId = required(positionals[0], 'service id (positional)')
  return withDb(argv, async (h, config) => {
    const cancellation = await terminateService(
      { db: h.db, clock: systemClock, config },
      {
        principal: CLI,
        requestId: newId('request'),
        serviceId,
        refund: values.refund === true,
        ...(values.reason !== undefined ? { reason: values.reason } : {}),
      },
    )
    printJson(cancellation)
    return 0
  })
}

/** `oxbill services cancel ID [--when end_of_term|immediate]`: as the customer's cancellation (the refund setting applies). */
export async function servicesCancel(argv: string[]): Promise<number> {
  const { values, positionals } = flags(argv, { when: { type: 'string' } })
  const serviceId = required(positionals[0], 'service id (positional)')
  const when = values.when ?? 'end_of_term'
  if (!(WHEN as readonly string[]).includes(when)) throw validation(`--when must be one of ${WHEN.join(', ')}`, 'when')
  return withDb(argv, async (h, config) => {
    const deps = { db: h.db, clock: systemClock, config }
    const cancellation = await h.db
      .transaction()
      .execute(trx =>
        cancelIn(
          trx,
          deps,
          { principal: CLI, requestId: newId('request'), serviceId, when: when as (typeof WHEN)[number] },
          { owner: null, refund: config.cancelRefundUnused, reason: 'cancelled', action: 'service.cancel' },
        ),
      )
    printJson(cancellation)
    return 0
  })
}
