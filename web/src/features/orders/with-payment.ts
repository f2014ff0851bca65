import type { OrderRequest } from '../../api/orders.ts'

export type PaymentType = 'balance' | 'crypto'

/** The same order paid another way: `type_payment` is part of the body, so of the quote and the intent too. */
export function withPayment(request: OrderRequest, payment: PaymentType): OrderRequest {
  switch (request.endpoint) {
    case 'create_order':
      return { endpoint: request.endpoint, body: { ...request.body, type_payment: payment } }
    case 'create_order_addon':
      return { endpoint: request.endpoint, body: { ...request.body, type_payment: payment } }
    case 'create_order_plesk':
      return { endpoint: request.endpoint, body: { ...request.body, type_payment: payment } }
    case 'create_order_scale_plesk':
      return { endpoint: request.endpoint, body: { ...request.body, type_payment: payment } }
  }
}
