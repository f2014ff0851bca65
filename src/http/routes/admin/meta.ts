import type { FastifyRequest } from 'fastify'
import type { AdminMeta } from '../../../domain/admin/meta.ts'
import { validation } from '../../../lib/errors.ts'
import { principalOf } from '../../auth.ts'
import { actorOf } from '../../../domain/auth/api-keys.ts'

/**
 * The acting key and request id of an admin write, for its audit record. Admin writes do not
 * honour Idempotency-Key yet (the balance and user use-cases own their transactions, so the key
 * could not commit with the write); refusing the header beats letting a client believe a retried
 * balance adjustment is safe. Before retrying, look the request id up in the audit log.
 */
export function adminMeta(req: FastifyRequest): AdminMeta {
  if (req.headers['idempotency-key'] !== undefined) {
    throw validation(
      'admin writes do not support Idempotency-Key; find the request id in GET /API/admin/audit-log before retrying',
      'Idempotency-Key',
    )
  }
  const principal = principalOf(req)
  return { actor: actorOf(principal), actorUserId: principal.userId, requestId: req.id }
}
