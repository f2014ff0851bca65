/**
 * What changed between the quote the customer confirmed and a fresh one, after the API refused
 * the order with a 409 (the service moved on, or another order is pending): STYLE-web rule 7
 * re-quotes and shows the differences rather than retrying silently. Compared as the API's
 * strings; the UI does no price arithmetic.
 */

export interface QuoteFacts {
  readonly amount: string
  readonly currency: string
  readonly new_expiry: string | null
  readonly upgrade_difference: string | null
  readonly balance_sufficient: boolean
}

export type QuoteChange = 'amount' | 'new_expiry' | 'upgrade_difference' | 'balance_sufficient'

export function quoteChanges(before: QuoteFacts, after: QuoteFacts): QuoteChange[] {
  const out: QuoteChange[] = []
  if (before.amount !== after.amount || before.currency !== after.currency) out.push('amount')
  if (before.new_expiry !== after.new_expiry) out.push('new_expiry')
  if (before.upgrade_difference !== after.upgrade_difference) out.push('upgrade_difference')
  if (before.balance_sufficient !== after.balance_sufficient) out.push('balance_sufficient')
  return out
}
