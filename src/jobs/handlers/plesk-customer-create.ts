import type { Deps } from '../../deps.ts'
import { isPleskExists } from '../../integrations/plesk/errors.ts'
import { requireStrings } from '../../outbox/payload.ts'
import type { JobDefinition } from '../../outbox/types.ts'
import { AppError } from '../../lib/errors.ts'
import { movePleskClient } from '../../domain/state/plesk.ts'

import { JobKind } from '../../outbox/kinds.ts'

export const PLESK_CUSTOMER_CREATE = JobKind.pleskCustomerCreate

/**
 * Creates the Plesk customer of a new Plesk client with the password the customer chose (a job
 * secret, erased when the job ends). Looks up by our client id (the customer's external-id)
 * before creating, so a retry after a lost answer — or a hosting order's `plesk.create` job that
 * got there first — never makes a second customer.
 */
export function pleskCustomerCreateJob(
  deps: Pick<Deps, 'db' | 'plesk' | 'clock'>,
): JobDefinition<{ clientId: string }> {
  return {
    kind: PLESK_CUSTOMER_CREATE,
    version: 1,
    parse: p => requireStrings(p, ['clientId']),
    async handler(ctx) {
      const client = await deps.db
        .selectFrom('plesk_clients')
        .selectAll()
        .where('id', '=', ctx.payload.clientId)
        .executeTakeFirst()
      if (!client) throw new AppError('internal_error', `Plesk client ${ctx.payload.clientId} does not exist`)
      const customerId = await ctx.step('customer', async () => {
        if (client.plesk_customer_id !== null) return client.plesk_customer_id
        const found = await deps.plesk.findCustomerByExternalId(client.id)
        if (found) return found.id
        const password = await ctx.secret()
        if (password === null) {
          throw new AppError('internal_error', 'the customer password is gone; cannot create the Plesk customer')
        }
        try {
          const created = await deps.plesk.createCustomer({
            login: client.login,
            name: client.name,
            email: client.email,
            password,
            company: client.company ?? undefined,
            externalId: client.id,
          })
          return created.id
        } catch (err) {
          // A concurrent plesk.create job may have created it between our look-up and our create.
          const raced = isPleskExists(err) ? await deps.plesk.findCustomerByExternalId(client.id) : null
          if (raced) return raced.id
          throw err
        }
      })
      await ctx.finish(async trx => {
        // Active already when a hosting order's plesk.create linked the customer first.
        await movePleskClient(trx, client.id, {
          from: ['pending', 'provision_failed', 'active'],
          to: 'active',
          set: { plesk_customer_id: customerId },
          now: deps.clock.now(),
          required: true,
        })
      })
    },
    async onFailure(trx, _job, payload) {
      // A hosting order may have created the customer meanwhile; then the client is fine.
      await movePleskClient(trx, payload.clientId, {
        from: 'pending',
        to: 'provision_failed',
        now: deps.clock.now(),
        where: eb => eb('plesk_customer_id', 'is', null),
      })
    },
    async onRetry(trx, payload) {
      await movePleskClient(trx, payload.clientId, {
        from: 'provision_failed',
        to: 'pending',
        now: deps.clock.now(),
        where: eb => eb('plesk_customer_id', 'is', null),
      })
    },
    secretName: 'Plesk customer password',
    // The customer chose this password: a retry must create the Plesk customer with it.
    keepSecretOnFailure: true,
  }
}
