import { actorOf } from '../auth/api-keys.ts'
import type { Deps } from '../../deps.ts'
import { newUuid } from '../../lib/ids.ts'
import { enqueueJob } from '../../outbox/enqueue.ts'
import type { Db } from '../../db/connect.ts'
import { writeAudit } from '../admin/audit-log.ts'
import { requireActiveUser, requireUser } from '../access/authorize.ts'
import { AppError } from '../../lib/errors.ts'
import { executeOrder, type OrderMeta } from '../orders/execute-order.ts'
import { pleskClientRow } from './client-row.ts'
import { checkClientFields } from './client-validation.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { checkInitial } from '../state/transition.ts'
import { PLESK_CLIENT } from '../state/plesk.ts'

export interface CreatePleskClientInput {
  /** Whom the client belongs to: the caller by default; another user only with an admin key. */
  userId?: string
  name: string
  login: string
  email: string
  password: string
  company?: string
}

const UNIQUE_VIOLATION = '23505'

const loginTaken = (login: string) =>
  new AppError('conflict', `login '${login}' is already taken`, { details: { field: 'login' } })

async function assertLoginFree(db: Db, login: string): Promise<void> {
  const taken = await db.selectFrom('plesk_clients').select('id').where('login', '=', login).executeTakeFirst()
  if (taken) throw loginTaken(login)
}

/**
 * Creates a Plesk client (docs/0xhost-compat.md 3.24) and, through the `plesk.customer.create` job written in
 * the same transaction, its Plesk customer. The password travels only as the job's sealed secret:
 * never stored in a table, never echoed. The job runs at once, within the provisioning deadline;
 * past it `plesk_client_id` is null and the worker finishes. It runs through `executeOrder` for
 * its Idempotency-Key semantics (the key row's `order_id` then holds the client id): a retried
 * request gets the first answer instead of a 409 for its own login.
 */
export async function createPleskClient(deps: Deps, meta: OrderMeta, input: CreatePleskClientInput) {
  const fields = checkClientFields(input)
  try {
    const result = await executeOrder(deps, meta, {
      prepare: async () => {
        const user = await requireUser(deps.db, meta.principal, input.userId, 'use')
        await assertLoginFree(deps.db, fields.login)
        return {
          commit: async trx => {
            await requireActiveUser(trx, meta.principal, user.id)
            const id = newUuid()
            await trx
              .insertInto('plesk_clients')
              .values({
                id,
                user_id: user.id,
                name: fields.name,
                login: fields.login,
                email: fields.email,
                company: fields.company,
                status: checkInitial(PLESK_CLIENT, 'pending'),
              })
              .execute()
            await writeAudit(trx, {
              actor: actorOf(meta.principal),
              requestId: meta.requestId,
              action: 'plesk_client.create',
              targetType: 'plesk_client',
              targetId: id,
              details: { user_id: user.id, login: fields.login },
            })
            const jobId = await enqueueJob(trx, {
              kind: JobKind.pleskCustomerCreate,
              payload: { clientId: id },
              maxAttempts: deps.config.jobMaxAttempts,
              secret: { box: deps.secretBox, value: fields.password },
            })
            return { orderId: id, jobId }
          },
        }
      },
      respond: async id => {
        const row = await deps.db.selectFrom('plesk_clients').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
        return { success: true, message: 'Client created successfully', data: pleskClientRow(row) }
      },
    })
    return result.body
  } catch (err) {
    // Two requests for one login: the UNIQUE index decides, the loser gets the same 409.
    if ((err as { code?: unknown }).code === UNIQUE_VIOLATION) throw loginTaken(fields.login)
    throw err
  }
}
