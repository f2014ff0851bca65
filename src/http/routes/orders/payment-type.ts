import { AppError } from '../../../domain/errors.ts'

/** Balance is the payment method available today; crypto answers a stable code until it exists. */
export function checkPaymentType (type: 'balance' | 'crypto' | undefined): void {
  if (type === 'crypto') {
    throw new AppError('payment_method_unavailable', 'type_payment "crypto" is not available yet on this server; pay with "balance"', { details: { field: 'type_payment' } })
  }
}
