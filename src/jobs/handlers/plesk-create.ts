import { sql } from 'kysely'
import type { Deps } from '../../deps.ts'
import { failAndRefundOrder } from '../../domain/orders/fail-order.ts'
import { moveOrder } from '../../domain/state/orders.ts'
import { movePleskClient, movePleskSubscription } from '../../domain/state/plesk.ts'
import { recordPeriod } from '../../domain/billing/periods.ts'
import { addMonths } from '../../domain/billing/pricing.ts'
import { AppError } from '../../lib/errors.ts'
import { generatePassword } from '../../lib/secret-box.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { requireStrings } from '../../outbox/payload.ts'
import type { JobDefinition } from '../../outbox/types.ts'

/**
 * Creates the hosting at Plesk: the client's Plesk customer (found by our client id as its
 * external-id, created once), the subscription on the plan with the FTP credentials, and its
 * expiration date. Each step looks up before it creates, so a retry never makes a second one.
 */
export function pleskCreateJob(
  deps: Pick<Deps, 'db' | 'plesk' | 'clock'>,
): JobDefinition<{ subscriptionId: string; orderId: string }> {
  return {
    kind: JobKind.pleskCreate,
    version: 1,
    parse: p => requireStrings(p, ['subscriptionId', 'orderId']),
    async handler(ctx) {
      const sub = await deps.db
        .selectFrom('plesk_subscriptions')
        .innerJoin('plesk_clients', 'plesk_clients.id', 'plesk_subscriptions.client_id')
        .innerJoin('plesk_plans', 'plesk_plans.id', 'plesk_subscriptions.plan_id')
        .select([
          'plesk_subscriptions.id',
          'plesk_subscriptions.domain_name',
          'plesk_subscriptions.ftp_login',
          'plesk_subscriptions.expires_at',
          'plesk_clients.id as client_id',
          'plesk_clients.name',
          'plesk_clients.login',
          'plesk_clients.email',
          'plesk_clients.company',
          'plesk_clients.plesk_customer_id',
          'plesk_plans.plesk_plan_name',
        ])
        .where('plesk_subscriptions.id', '=', ctx.payload.subscriptionId)
        .executeTakeFirstOrThrow()
      const customerId = await ctx.step('customer', async () => {
        if (sub.plesk_customer_id !== null) return sub.plesk_customer_id
        // The client's own job creates the customer with the password the customer chose; wait
        // for it rather than creating the customer here with a generated one.
        const clientJob = await deps.db
          .selectFrom('jobs')
          .select('id')
          .where('kind', '=', JobKind.pleskCustomerCreate)
          .where('state', 'in', ['pending', 'running', 'blocked'])
          .where(sql<boolean>`payload->>'clientId' = ${sub.client_id}`)
          .executeTakeFirst()
        if (clientJob) {
          throw new AppError('provider_unavailable', 'waiting for the Plesk client account to be created', {
            retryable: true,
          })
        }
        const found = await deps.plesk.findCustomerByExternalId(sub.client_id)
        if (found) return found.id
        // The customer logs in through oxbill's client, not with this password; Plesk requires one.
        const created = await deps.plesk.createCustomer({
          login: sub.login,
          name: sub.name,
          email: sub.email,
          password: generatePassword(),
          company: sub.company ?? undefined,
          externalId: sub.client_id,
        })
        return created.id
      })
      const webspaceId = await ctx.step('webspace', async () => {
        const existing = await deps.plesk.findWebspace(sub.domain_name)
        if (existing) {
          if (existing.ownerId !== null && existing.ownerId !== customerId) {
            throw new AppError(
              'provider_error',
              `domain ${sub.domain_name} already exists in Plesk under another customer`,
            )
          }
          return existing.id
        }
        const ftpPassword = await ctx.secret()
        if (ftpPassword === null) {
          throw new AppError('internal_error', 'the FTP password is gone; cannot create the subscription')
        }
        const created = await deps.plesk.createWebspace({
          domain: sub.domain_name,
          ownerId: customerId,
          planName: sub.plesk_plan_name,
          ftpLogin: sub.ftp_login,
          ftpPassword,
        })
        return created.id
      })
      await ctx.step('expiration', async () => {
        await deps.plesk.setExpiration(sub.domain_name, sub.expires_at)
        return true
      })
      await ctx.finish(async trx => {
        const order = await trx
          .selectFrom('orders')
          .select(['user_id', 'amount_cents', 'months', 'term_starts_at', 'plan_id'])
          .where('id', '=', ctx.payload.orderId)
          .executeTakeFirstOrThrow()
        await recordPeriod(trx, {
          userId: order.user_id,
          serviceKind: 'subscription',
          serviceId: sub.id,
          orderId: ctx.payload.orderId,
          kind: 'term',
          planId: order.plan_id!,
          startsAt: order.term_starts_at ?? addMonths(sub.expires_at, -(order.months ?? 1)),
          endsAt: sub.expires_at,
          amount: order.amount_cents,
        })
        // Whatever the client's own job did: this order found or made its customer.
        await movePleskClient(trx, sub.client_id, {
          from: ['pending', 'provision_failed', 'active'],
          to: 'active',
          set: { plesk_customer_id: customerId },
          now: deps.clock.now(),
          required: true,
        })
        await movePleskSubscription(trx, sub.id, {
          from: 'provisioning',
          to: 'active',
          set: { plesk_webspace_id: webspaceId },
          now: deps.clock.now(),
          required: true,
        })
        await moveOrder(trx, ctx.payload.orderId, {
          from: 'processing',
          to: 'completed',
          now: deps.clock.now(),
          required: true,
        })
      })
    },
    async onFailure(trx, _job, payload, reason) {
      await failAndRefundOrder(trx, payload.orderId, reason, deps.clock.now())
      await movePleskSubscription(trx, payload.subscriptionId, {
        from: 'provisioning',
        to: 'provision_failed',
        now: deps.clock.now(),
      })
    },
    async onRetry(trx, payload) {
      await movePleskSubscription(trx, payload.subscriptionId, {
        from: 'provision_failed',
        to: 'provisioning',
        now: deps.clock.now(),
      })
    },
    secretName: 'FTP password',
    // The customer chose this password in the order: a retry must not replace it with one nobody knows.
    keepSecretOnFailure: true,
  }
}
