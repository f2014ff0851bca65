import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../deps.ts'
import { checkoutRoutes } from './checkout.route.ts'
import { invoiceRoute } from './invoice.route.ts'
import { onPaymentStatusRoute } from './on-payment-status.route.ts'
import { transactionsRoutes } from './transactions.route.ts'

/** The payments routes, registered by routes/index.ts. */
export function paymentsRoutes(deps: Deps): FastifyPluginAsyncTypebox[] {
  return [invoiceRoute(deps), onPaymentStatusRoute(deps), transactionsRoutes(deps), checkoutRoutes(deps)]
}
