import type { PaymentMethod } from '../../../domain/orders/charge.ts'

/**
 * `type_payment` of the order endpoints: `balance` (the default) debits now; `crypto` creates the
 * order `pending_payment` with an OxaPay invoice, and provisions once the invoice is paid.
 */
export function paymentMethodOf(type: 'balance' | 'crypto' | undefined): PaymentMethod {
  return type === 'crypto' ? 'crypto' : 'balance'
}
