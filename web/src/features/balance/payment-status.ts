/**
 * OxaPay payment statuses as the API shows them ("Paid", "Manual_accept"; stored lowercase):
 * which ones end an invoice, so its page stops polling (STYLE-web rule 5). `underpaid` is not an
 * end: the payer may still send the rest; `refunding` becomes `refunded`.
 */
const TERMINAL = new Set(['paid', 'manual_accept', 'expired', 'refunded'])
const PAID = new Set(['paid', 'manual_accept'])

export const normalizePaymentStatus = (status: string): string => status.trim().toLowerCase()

export const isTerminalPaymentStatus = (status: string): boolean => TERMINAL.has(normalizePaymentStatus(status))

export const isPaidPaymentStatus = (status: string): boolean => PAID.has(normalizePaymentStatus(status))
