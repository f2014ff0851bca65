import type { Deps } from '../../deps.ts'
import { AppError } from '../../lib/errors.ts'
import { reconcilePayments } from '../../domain/payments/reconcile-payments.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { cancelOverdueOrders } from '../../domain/orders/cancel-overdue-orders.ts'
import type { JobDefinition } from '../../outbox/types.ts'

/**
 * The singleton reconciliation job (armed by the worker loop every RECONCILE_INTERVAL_MS): polls
 * OxaPay for open payments, cancels orders whose invoice expired and those past their payment deadline. Settlement releases paid
 * orders' jobs, which the same worker then claims like any other.
 */
export function paymentsReconcileJob(
  deps: Partial<Pick<Deps, 'oxapay' | 'logger'>> & Pick<Deps, 'db' | 'clock'>,
): JobDefinition<Record<string, never>> {
  return {
    kind: JobKind.paymentsReconcile,
    version: 1,
    parse: () => ({}),
    async handler(ctx) {
      if (!deps.oxapay) throw new AppError('internal_error', 'payments.reconcile needs the OxaPay client')
      const report = await reconcilePayments({
        db: deps.db,
        oxapay: deps.oxapay,
        logger: deps.logger ?? ctx.logger,
        clock: deps.clock,
      })
      const overdue = await cancelOverdueOrders({ db: deps.db, clock: deps.clock })
      ctx.logger.info(
        { ...report, releasedJobs: report.releasedJobs.length, overdueCancelled: overdue },
        'payments reconciled',
      )
      await ctx.finish(async () => {})
    },
    async onFailure() {},
    async onRetry() {},
  }
}
