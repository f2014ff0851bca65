import type { Order } from '../../db/schema.ts'

/**
 * `success` as the docs' clients read it: true for an order that is completed, still being
 * provisioned, or awaiting its crypto payment; false, with the reason, for one that failed and
 * was refunded, or was cancelled because its invoice expired unpaid.
 */
export function orderOutcome(order: Order): {
  success: boolean
  message?: string
  error?: { code: string; message: string }
} {
  if (order.status === 'failed') {
    const message = `Provisioning failed and the order was refunded: ${order.failure_reason ?? 'unknown error'}`
    return { success: false, message, error: { code: 'provision_failed', message } }
  }
  if (order.status === 'cancelled') {
    const message = `The order was cancelled: ${order.failure_reason ?? 'its invoice expired unpaid'}`
    return { success: false, message, error: { code: 'order_cancelled', message } }
  }
  if (order.status === 'pending_payment') {
    return {
      success: true,
      message: 'Awaiting payment: the order is provisioned once its crypto invoice (payment.payment_url) is paid',
    }
  }
  return { success: true }
}
