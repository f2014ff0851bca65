import { parseDec } from '../../lib/money.ts'
import type { FakeInvoice } from './state.ts'
import { OXAPAY_STATUSES } from '../../integrations/oxapay/types.ts'

/**
 * The state file of the fake OxaPay: invoices with their payments (txs), the PRNG state so new
 * track ids and hashes continue the sequence, and the next callback id. Expiry is stored as an
 * absolute time and applied lazily, so an invoice that ran out while the fake was down reads as
 * expired after a reload. Callbacks in flight or waiting for a retry are not kept: a restart drops
 * them (and the delivery log), as if OxaPay had given up on them.
 */
export const OXAPAY_STATE_FORMAT = 'oxbill-fake-oxapay'

export interface FakeOxaPayDump {
  invoices: FakeInvoice[]
  /** `SeededRandom.state()` of the generator of track ids and hashes. */
  random: number
  nextCallbackId: number
}

type Obj = Record<string, unknown>

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const isInt = (v: unknown): v is number => Number.isSafeInteger(v)
const isStr = (v: unknown): v is string => typeof v === 'string'
const isDec = (v: unknown): boolean => isStr(v) && parseDec(v) !== null
const isStrOrNull = (v: unknown): boolean => v === null || isStr(v)
const isBool = (v: unknown): boolean => typeof v === 'boolean'

function need(ok: boolean, what: string): void {
  if (!ok) throw new Error(`invalid ${what}`)
}

/** Checks a state read from disk; throws on anything that would break the fake later. */
export function parseOxaPayState(raw: unknown): FakeOxaPayDump {
  need(isObj(raw), 'state')
  const r = raw as Obj
  need(Array.isArray(r.invoices), 'invoices')
  need(isInt(r.random) && isInt(r.nextCallbackId) && r.nextCallbackId >= 1, 'counters')
  const seen = new Set<string>()
  for (const [i, inv] of (r.invoices as unknown[]).entries()) {
    const what = `invoice #${i}`
    need(
      isObj(inv) &&
        isStr(inv.trackId) &&
        !seen.has(inv.trackId) &&
        (inv.type === 'invoice' || inv.type === 'white_label'),
      what,
    )
    const v = inv as Obj
    seen.add(v.trackId as string)
    // Files from before white-label payments have no `whiteLabel`: a hosted invoice.
    const wl = v.whiteLabel
    need(
      v.type === 'invoice'
        ? wl === undefined || wl === null
        : isObj(wl) &&
            ['payCurrency', 'network', 'address', 'memo'].every(k => isStr(wl[k])) &&
            isDec(wl.payAmount) &&
            isDec(wl.rate),
      `${what} white-label terms`,
    )
    need(
      (OXAPAY_STATUSES as readonly unknown[]).includes(v.status) && isInt(v.date) && isInt(v.expiredAt),
      `${what} status`,
    )
    need(
      isDec(v.amount) &&
        isStr(v.currency) &&
        isInt(v.lifetime) &&
        (v.feePaidByPayer === 0 || v.feePaidByPayer === 1) &&
        isDec(v.underPaidCoverage) &&
        isStrOrNull(v.toCurrency) &&
        isBool(v.autoWithdrawal) &&
        isBool(v.mixedPayment) &&
        isBool(v.sandbox),
      `${what} terms`,
    )
    need(
      ['callbackUrl', 'returnUrl', 'email', 'orderId', 'thanksMessage', 'description'].every(k => isStrOrNull(v[k])),
      `${what} texts`,
    )
    need(
      Array.isArray(v.txs) &&
        (v.txs as unknown[]).every(
          tx =>
            isObj(tx) &&
            ['txHash', 'coin', 'network', 'address'].every(k => isStr(tx[k])) &&
            ['sentAmount', 'receivedAmount', 'rate', 'value', 'credited'].every(k => isDec(tx[k])) &&
            isStrOrNull(tx.autoConvertAmount) &&
            isStrOrNull(tx.senderAddress) &&
            (tx.status === 'confirming' || tx.status === 'confirmed') &&
            isInt(tx.confirmations) &&
            isInt(tx.date) &&
            isBool(tx.late),
        ),
      `${what} txs`,
    )
  }
  return raw as FakeOxaPayDump
}
