import type { Order } from '../../db/schema.ts'

/**
 * `success` as the docs' clients read it: true for an order that is completed or still being
 * provisioned; false, with the reason, for one that failed and was refunded.
 */
export function orderOutcome (order: Order): { success: boolean, message?: string, error?: { code: string, message: string } } {
  if (order.status === 'failed') {
    const message = `Provisioning failed and the order was refunded: ${order.failure_reason ?? 'unknown error'}`
    return { success: false, message, error: { code: 'provision_failed', message } }
  }
  return { success: true }
}
