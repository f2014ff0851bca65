import type { Payment } from '../../db/schema.ts'
import type { Deps } from '../../deps.ts'
import { statusLabel } from '../../integrations/oxapay/map.ts'
import { AppError } from '../../lib/errors.ts'

export interface DemoWalletResult {
  track_id: string
  status: string
  address: string
  sent: string
}

/**
 * Zero-setup mode's way to pay a white-label invoice without a real wallet. With a real OxaPay
 * there is no wallet to pay with (`deps.demoWallet` is absent) and the route is not registered.
 */
export async function payWithDemoWallet(
  deps: Pick<Deps, 'demoWallet'>,
  p: Payment,
  amount?: string,
): Promise<DemoWalletResult> {
  if (!deps.demoWallet) throw new AppError('not_found', 'there is no demo wallet with a real OxaPay')
  if (p.address === null || p.track_id === null) {
    throw new AppError('invalid_state', 'this payment has no deposit address to pay')
  }
  const paid = await deps.demoWallet.pay(p.address, amount)
  return { track_id: p.track_id, status: statusLabel(paid.status || p.status), address: p.address, sent: paid.sent }
}
