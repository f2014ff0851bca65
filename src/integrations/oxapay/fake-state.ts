import { addDec, cmpDec, divDec, formatDec, mulDec, parseDec, roundDec, subDec, ZERO, type Dec } from './decimal.ts'
import { callbackBody } from './fake-payloads.ts'
import { confirmationsOf, isCoin, networkOf, usdPrice } from './fake-prices.ts'
import type { FakeInvoiceRequest } from './fake-validate.ts'
import type { OxaPayStatus } from './types.ts'

/**
 * The fake's invoices and how payments move them. Rules (from the reference, §2.3/§3 and the KB):
 * - a payment covering the amount (within `under_paid_coverage`) raises `Paying` (tx confirming)
 *   then `Paid` (tx confirmed) and ends `paid`;
 * - a smaller one raises `Paying` and leaves the invoice `paying` until topped up or expired;
 * - expiry turns `new`/`waiting` into `expired` and `paying` into `underpaid`. v1 documents callbacks
 *   only for paying and paid, so expiry sends nothing unless `expiryCallbacks` asks for
 *   `Expired`/`Underpaid` ones;
 * - a payment after the invoice ended (late, or extra after `paid`) is still recorded, keeps the
 *   status (the KB: an `Expired` invoice may still have received money) and raises one callback
 *   with the current status capitalised and the tx confirmed.
 * Amounts are exact decimals. OxaPay's fee is modelled as 1.5% of the coin amount when the merchant
 * pays it (`received_amount`), and it never reduces what counts towards the invoice.
 */
export interface FakeTx {
  txHash: string
  coin: string
  network: string
  /** Coin amount sent. */
  sentAmount: string
  /** Coin amount after OxaPay's fee. */
  receivedAmount: string
  /** USD per coin. */
  rate: string
  /** USD value of sentAmount (8 places). */
  value: string
  /** The same payment in the invoice currency, exactly as it was requested from the fake. */
  credited: string
  autoConvertAmount: string | null
  senderAddress: string | null
  address: string
  status: 'confirming' | 'confirmed'
  confirmations: number
  /** Unix seconds. */
  date: number
  late: boolean
}

export interface FakeInvoice extends FakeInvoiceRequest {
  trackId: string
  type: 'invoice'
  status: OxaPayStatus
  /** Unix seconds. */
  date: number
  expiredAt: number
  txs: FakeTx[]
}

export interface PayOptions {
  /** Decimal string in the invoice currency; default: what is still due on an open invoice, else the whole amount. */
  amount?: string
  /** Coin sent; default USDT. */
  coin?: string
}

/** A control request the fake refuses: `status` becomes the HTTP status of `/__fake/*`. */
export class FakeControlError extends Error {
  constructor (readonly status: number, message: string) { super(message) }
}

export interface Raised { invoice: FakeInvoice, label: string, body: string }

const OPEN: readonly OxaPayStatus[] = ['new', 'waiting', 'paying']
const FEE = parseDec('0.015')!
const HUNDRED: Dec = { units: 100n, scale: 0 }
const dec = (s: string): Dec => parseDec(s)!

export class FakeStore {
  private readonly byId = new Map<string, FakeInvoice>()

  constructor (private readonly opts: {
    now: () => number
    random: () => number
    expiryCallbacks: boolean
    /** Receives every callback the state raises; delivery is someone else's job. */
    raise: (r: Raised) => void
    /** Told after every change (it may run before the rest of the same change; schedule, do not read). */
    changed?: () => void
  }) {}

  /** Stores a validated request as a `new` invoice with a fresh 9-digit track id. */
  create (req: FakeInvoiceRequest): FakeInvoice {
    let trackId: string
    do trackId = String(100_000_000 + Math.floor(this.opts.random() * 900_000_000))
    while (this.byId.has(trackId))
    const date = this.nowSeconds()
    const inv: FakeInvoice = { ...req, trackId, type: 'invoice', status: 'new', date, expiredAt: date + req.lifetime * 60, txs: [] }
    this.byId.set(trackId, inv)
    this.opts.changed?.()
    return inv
  }

  /** The invoice, with expiry applied first (expiry is evaluated lazily against the injected clock). */
  get (trackId: string): FakeInvoice | undefined {
    const inv = this.byId.get(trackId)
    if (inv) this.refresh(inv)
    return inv
  }

  /** Every invoice as held, expiry not applied: what the state file keeps. */
  dump (): FakeInvoice[] {
    return [...this.byId.values()]
  }

  /** Replaces the invoices with stored ones; expiry is applied on access as usual. */
  restore (invoices: readonly FakeInvoice[]): void {
    this.byId.clear()
    for (const inv of invoices) this.byId.set(inv.trackId, inv)
  }

  all (): FakeInvoice[] {
    for (const inv of this.byId.values()) this.refresh(inv)
    return [...this.byId.values()]
  }

  /** Sum of what was credited towards the invoice, in its currency. */
  credited (inv: FakeInvoice): Dec {
    return inv.txs.reduce((sum, tx) => addDec(sum, dec(tx.credited)), ZERO)
  }

  /** Records a payment and moves the invoice (see the rules at the top of this file). */
  pay (trackId: string, opts: PayOptions = {}): FakeInvoice {
    const inv = this.mustGet(trackId)
    const open = OPEN.includes(inv.status)
    const due = subDec(dec(inv.amount), this.credited(inv))
    const credited = opts.amount === undefined ? (open && due.units > 0n ? due : dec(inv.amount)) : parseDec(opts.amount)
    if (!credited || credited.units <= 0n || credited.scale > 8) throw new FakeControlError(400, 'amount must be a positive decimal string (≤ 8 places)')
    const coin = (opts.coin ?? 'USDT').toUpperCase()
    if (!isCoin(coin)) throw new FakeControlError(400, `unknown coin '${coin}'`)
    const tx = this.makeTx(inv, credited, coin, !open)
    inv.txs.push(tx)
    this.opts.changed?.()

    if (!open) {
      this.emit(inv, capitalise(inv.status))
      return inv
    }
    inv.status = 'paying'
    this.emit(inv, 'Paying')
    tx.status = 'confirmed'
    tx.confirmations = confirmationsOf(coin)
    // Paid once credited ≥ amount × (100 − coverage) / 100, compared exactly as credited × 100.
    const needed = mulDec(dec(inv.amount), subDec(HUNDRED, dec(inv.underPaidCoverage)))
    if (cmpDec(mulDec(this.credited(inv), HUNDRED), needed) >= 0) {
      inv.status = 'paid'
      this.emit(inv, 'Paid')
    }
    return inv
  }

  /** Ends the invoice now: `expired`, or `underpaid` if something arrived. */
  expire (trackId: string): FakeInvoice {
    const inv = this.mustGet(trackId)
    if (!OPEN.includes(inv.status)) {
      if (inv.status === 'expired' || inv.status === 'underpaid') return inv
      throw new FakeControlError(409, `invoice is ${inv.status}; only new/waiting/paying invoices expire`)
    }
    inv.expiredAt = Math.min(inv.expiredAt, this.nowSeconds())
    this.opts.changed?.()
    this.refresh(inv)
    return inv
  }

  /** Forces a status (waiting, manual_accept, refunding, refunded…) without any callback. */
  setStatus (trackId: string, status: OxaPayStatus): FakeInvoice {
    const inv = this.mustGet(trackId)
    inv.status = status
    this.opts.changed?.()
    return inv
  }

  private refresh (inv: FakeInvoice): void {
    if (!OPEN.includes(inv.status) || this.opts.now() < inv.expiredAt * 1000) return
    inv.status = inv.txs.length > 0 ? 'underpaid' : 'expired'
    this.opts.changed?.()
    if (this.opts.expiryCallbacks) this.emit(inv, capitalise(inv.status))
  }

  private mustGet (trackId: string): FakeInvoice {
    const inv = this.get(trackId)
    if (!inv) throw new FakeControlError(404, `unknown track_id '${trackId}'`)
    return inv
  }

  private makeTx (inv: FakeInvoice, credited: Dec, coin: string, late: boolean): FakeTx {
    const rate = dec(usdPrice(coin)!)
    // Coin amount at the fake's fixed prices, 8 places; exact when the coin is the invoice currency.
    const sent = inv.currency === coin ? credited : divDec(mulDec(credited, dec(usdPrice(inv.currency)!)), rate, 8)
    const received = inv.feePaidByPayer === 1 ? sent : roundDec(subDec(sent, mulDec(sent, FEE)), 8)
    const value = roundDec(mulDec(sent, rate), 8)
    return {
      txHash: inv.sandbox ? 'sandbox' : `0x${this.hex(64)}`,
      coin,
      network: networkOf(coin),
      sentAmount: formatDec(sent),
      receivedAmount: formatDec(received),
      rate: formatDec(rate),
      value: formatDec(value),
      credited: formatDec(credited),
      autoConvertAmount: inv.toCurrency === 'USDT' ? formatDec(roundDec(mulDec(received, rate), 8)) : null,
      senderAddress: inv.sandbox ? null : `0x${this.hex(40)}`,
      address: inv.sandbox ? 'sandbox' : `0x${this.hex(40)}`,
      status: late ? 'confirmed' : 'confirming',
      confirmations: late ? confirmationsOf(coin) : 1,
      date: this.nowSeconds(),
      late,
    }
  }

  private emit (inv: FakeInvoice, label: string): void {
    if (!inv.callbackUrl) return
    const txs = inv.txs.map(tx => ({ ...tx }))
    let value = ZERO
    for (const tx of txs) value = addDec(value, dec(tx.value))
    const total = formatDec(value)
    this.opts.raise({ invoice: inv, label, body: callbackBody(inv, label, txs, { value: total, sentValue: total }) })
  }

  private hex (n: number): string {
    let s = ''
    while (s.length < n) s += Math.floor(this.opts.random() * 16).toString(16)
    return s
  }

  private nowSeconds (): number {
    return Math.floor(this.opts.now() / 1000)
  }
}

/** "paid" → "Paid", "manual_accept" → "Manual_accept": callbacks capitalise statuses. */
export function capitalise (s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}

export { seededRandom, type SeededRandom } from '../fake-kit/seeded-random.ts'
