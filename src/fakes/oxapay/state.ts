import {
  addDec,
  cmpDec,
  divDec,
  divDecUp,
  formatDec,
  mulDec,
  parseDec,
  roundDec,
  subDec,
  ZERO,
  type Dec,
} from '../../lib/money.ts'
import { coinDecimals, memoFor } from './networks.ts'
import { callbackBody } from './payloads.ts'
import { confirmationsOf, isCoin, networkOf, usdPrice } from './prices.ts'
import type { FakeInvoiceRequest, FakeWhiteLabelRequest } from './validate.ts'
import type { OxaPayStatus } from '../../integrations/oxapay/types.ts'

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
 *
 * White-label payments (`type: "white_label"`) follow the same rules with their coin fixed at
 * creation: a deposit address of their own, `pay_amount` = the price converted at the fake's fixed
 * prices and rounded up to the coin's decimals (plus the 1.5% fee when the payer pays it), paid
 * once the coin received covers `pay_amount` within the coverage. Money reaches them by paying the
 * address (`payAddress`, an amount in the coin) or by track id; another coin is refused, since it
 * could not arrive at that address. They have no hosted page.
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

/** What a white-label payment fixed at creation. */
export interface FakeWhiteLabel {
  payCurrency: string
  /** Display name ("Tron Network"). */
  network: string
  address: string
  /** "" when the chain takes none. */
  memo: string
  /** Coin amount to send. */
  payAmount: string
  /** Price of one coin in the invoice currency. */
  rate: string
}

export interface FakeInvoice extends FakeInvoiceRequest {
  trackId: string
  type: 'invoice' | 'white_label'
  status: OxaPayStatus
  /** Unix seconds. */
  date: number
  expiredAt: number
  txs: FakeTx[]
  /** White-label payments only; null for hosted invoices. */
  whiteLabel: FakeWhiteLabel | null
}

export interface PayOptions {
  /** Decimal string in the invoice currency; default: what is still due on an open invoice, else the whole amount. */
  amount?: string
  /** Coin amount sent instead (what a wallet sends to a white-label address); excludes `amount`. */
  coinAmount?: string
  /** Coin sent; default USDT (a white-label payment: its own coin, and no other). */
  coin?: string
}

/** A control request the fake refuses: `status` becomes the HTTP status of `/__fake/*`. */
export class FakeControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

export interface Raised {
  invoice: FakeInvoice
  label: string
  body: string
}

const OPEN: readonly OxaPayStatus[] = ['new', 'waiting', 'paying']
const FEE = parseDec('0.015')!
const HUNDRED: Dec = { units: 100n, scale: 0 }
const dec = (s: string): Dec => parseDec(s)!

const FEE_FACTOR = parseDec('1.015')!

export class FakeStore {
  private readonly byId = new Map<string, FakeInvoice>()
  private readonly byAddress = new Map<string, string>()

  constructor(
    private readonly opts: {
      now: () => number
      random: () => number
      expiryCallbacks: boolean
      /** Receives every callback the state raises; delivery is someone else's job. */
      raise: (r: Raised) => void
      /** Told after every change (it may run before the rest of the same change; schedule, do not read). */
      changed?: () => void
    },
  ) {}

  /** Stores a validated request as a `new` invoice with a fresh 9-digit track id. */
  create(req: FakeInvoiceRequest): FakeInvoice {
    const date = this.nowSeconds()
    const inv: FakeInvoice = {
      ...req,
      trackId: this.newTrackId(),
      type: 'invoice',
      status: 'new',
      date,
      expiredAt: date + req.lifetime * 60,
      txs: [],
      whiteLabel: null,
    }
    this.byId.set(inv.trackId, inv)
    this.opts.changed?.()
    return inv
  }

  /** Stores a validated white-label request as a `new` payment with a deposit address of its own. */
  createWhiteLabel(req: FakeWhiteLabelRequest): FakeInvoice {
    const { base, payCurrency, network } = req
    const date = this.nowSeconds()
    const coinUsd = dec(usdPrice(payCurrency)!)
    const ccyUsd = dec(usdPrice(base.currency)!)
    const priced = base.feePaidByPayer === 1 ? mulDec(dec(base.amount), FEE_FACTOR) : dec(base.amount)
    const payAmount =
      base.currency === payCurrency ? priced : divDecUp(mulDec(priced, ccyUsd), coinUsd, coinDecimals(payCurrency))
    let address: string
    do address = network.address(this.opts.random)
    while (this.byAddress.has(address))
    const inv: FakeInvoice = {
      ...base,
      trackId: this.newTrackId(),
      type: 'white_label',
      status: 'new',
      date,
      expiredAt: date + base.lifetime * 60,
      txs: [],
      whiteLabel: {
        payCurrency,
        network: network.name,
        address,
        memo: memoFor(network, this.opts.random),
        payAmount: formatDec(payAmount),
        rate: formatDec(divDec(coinUsd, ccyUsd, 8)),
      },
    }
    this.byId.set(inv.trackId, inv)
    this.byAddress.set(address, inv.trackId)
    this.opts.changed?.()
    return inv
  }

  /** The white-label payment whose deposit address this is (expiry applied). */
  byDepositAddress(address: string): FakeInvoice | undefined {
    const trackId = this.byAddress.get(address)
    return trackId === undefined ? undefined : this.get(trackId)
  }

  /** A wallet sends `amount` of the payment's coin (default: what is still due) to a white-label address. */
  payAddress(address: string, opts: { amount?: string } = {}): FakeInvoice {
    const inv = this.byDepositAddress(address)
    if (!inv) throw new FakeControlError(404, `no white-label payment has the address '${address}'`)
    return this.pay(inv.trackId, opts.amount === undefined ? {} : { coinAmount: opts.amount })
  }

  /** The invoice, with expiry applied first (expiry is evaluated lazily against the injected clock). */
  get(trackId: string): FakeInvoice | undefined {
    const inv = this.byId.get(trackId)
    if (inv) this.refresh(inv)
    return inv
  }

  /** Every invoice as held, expiry not applied: what the state file keeps. */
  dump(): FakeInvoice[] {
    return [...this.byId.values()]
  }

  /** Replaces the invoices with stored ones; expiry is applied on access as usual. */
  restore(invoices: readonly FakeInvoice[]): void {
    this.byId.clear()
    this.byAddress.clear()
    for (const inv of invoices) {
      // State files written before white-label payments existed have no `whiteLabel`.
      inv.whiteLabel ??= null
      this.byId.set(inv.trackId, inv)
      if (inv.whiteLabel) this.byAddress.set(inv.whiteLabel.address, inv.trackId)
    }
  }

  all(): FakeInvoice[] {
    for (const inv of this.byId.values()) this.refresh(inv)
    return [...this.byId.values()]
  }

  /** Sum of what was credited towards the invoice, in its currency. */
  credited(inv: FakeInvoice): Dec {
    return inv.txs.reduce((sum, tx) => addDec(sum, dec(tx.credited)), ZERO)
  }

  /** Records a payment and moves the invoice (see the rules at the top of this file). */
  pay(trackId: string, opts: PayOptions = {}): FakeInvoice {
    const inv = this.mustGet(trackId)
    const wl = inv.whiteLabel
    const open = OPEN.includes(inv.status)
    const coin = (opts.coin ?? wl?.payCurrency ?? 'USDT').toUpperCase()
    if (!isCoin(coin)) throw new FakeControlError(400, `unknown coin '${coin}'`)
    if (wl && coin !== wl.payCurrency) {
      throw new FakeControlError(400, `this address receives ${wl.payCurrency} on ${wl.network} only, not ${coin}`)
    }
    if (opts.amount !== undefined && opts.coinAmount !== undefined) {
      throw new FakeControlError(400, 'give amount (invoice currency) or a coin amount, not both')
    }
    const { sent, credited } = this.amounts(inv, coin, open, opts)
    const tx = this.makeTx(inv, sent, credited, coin, !open)
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
    // Paid once what arrived ≥ due × (100 − coverage) / 100, compared exactly as arrived × 100; a
    // white-label payment counts the coin against pay_amount, an invoice its currency against amount.
    const [arrived, due] = wl ? [this.sentCoin(inv), dec(wl.payAmount)] : [this.credited(inv), dec(inv.amount)]
    if (cmpDec(mulDec(arrived, HUNDRED), mulDec(due, subDec(HUNDRED, dec(inv.underPaidCoverage)))) >= 0) {
      inv.status = 'paid'
      this.emit(inv, 'Paid')
    }
    return inv
  }

  /** Coin sent so far to a white-label payment. */
  private sentCoin(inv: FakeInvoice): Dec {
    return inv.txs.reduce((sum, tx) => addDec(sum, dec(tx.sentAmount)), ZERO)
  }

  /** The coin amount of a payment and its value in the invoice currency, from whichever of them was given. */
  private amounts(inv: FakeInvoice, coin: string, open: boolean, opts: PayOptions): { sent: Dec; credited: Dec } {
    const wl = inv.whiteLabel
    const checked = (d: Dec | null): Dec => {
      if (!d || d.units <= 0n || d.scale > 8) {
        throw new FakeControlError(400, 'amount must be a positive decimal string (≤ 8 places)')
      }
      return d
    }
    const rate = dec(usdPrice(coin)!)
    const ccy = dec(usdPrice(inv.currency)!)
    const valueOf = (sent: Dec): Dec => (inv.currency === coin ? sent : divDec(mulDec(sent, rate), ccy, 8))
    if (opts.coinAmount !== undefined) {
      const sent = checked(parseDec(opts.coinAmount))
      return { sent, credited: valueOf(sent) }
    }
    if (wl && opts.amount === undefined) {
      const due = subDec(dec(wl.payAmount), this.sentCoin(inv))
      const sent = open && due.units > 0n ? due : dec(wl.payAmount)
      return { sent, credited: valueOf(sent) }
    }
    const due = subDec(dec(inv.amount), this.credited(inv))
    const credited = checked(
      opts.amount === undefined ? (open && due.units > 0n ? due : dec(inv.amount)) : parseDec(opts.amount),
    )
    // Coin amount at the fake's fixed prices; exact when the coin is the invoice currency. A
    // white-label payer's wallet rounds up to the coin's decimals, as pay_amount is.
    const sent =
      inv.currency === coin
        ? credited
        : wl
          ? divDecUp(mulDec(credited, ccy), rate, coinDecimals(coin))
          : divDec(mulDec(credited, ccy), rate, 8)
    return { sent, credited }
  }

  /** Ends the invoice now: `expired`, or `underpaid` if something arrived. */
  expire(trackId: string): FakeInvoice {
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
  setStatus(trackId: string, status: OxaPayStatus): FakeInvoice {
    const inv = this.mustGet(trackId)
    inv.status = status
    this.opts.changed?.()
    return inv
  }

  private refresh(inv: FakeInvoice): void {
    if (!OPEN.includes(inv.status) || this.opts.now() < inv.expiredAt * 1000) return
    inv.status = inv.txs.length > 0 ? 'underpaid' : 'expired'
    this.opts.changed?.()
    if (this.opts.expiryCallbacks) this.emit(inv, capitalise(inv.status))
  }

  private mustGet(trackId: string): FakeInvoice {
    const inv = this.get(trackId)
    if (!inv) throw new FakeControlError(404, `unknown track_id '${trackId}'`)
    return inv
  }

  private makeTx(inv: FakeInvoice, sent: Dec, credited: Dec, coin: string, late: boolean): FakeTx {
    const rate = dec(usdPrice(coin)!)
    const received = inv.feePaidByPayer === 1 ? sent : roundDec(subDec(sent, mulDec(sent, FEE)), 8)
    const value = roundDec(mulDec(sent, rate), 8)
    return {
      txHash: inv.sandbox ? 'sandbox' : `0x${this.hex(64)}`,
      coin,
      network: inv.whiteLabel?.network ?? networkOf(coin),
      sentAmount: formatDec(sent),
      receivedAmount: formatDec(received),
      rate: formatDec(rate),
      value: formatDec(value),
      credited: formatDec(credited),
      autoConvertAmount: inv.toCurrency === 'USDT' ? formatDec(roundDec(mulDec(received, rate), 8)) : null,
      senderAddress: inv.sandbox ? null : `0x${this.hex(40)}`,
      address: inv.whiteLabel?.address ?? (inv.sandbox ? 'sandbox' : `0x${this.hex(40)}`),
      status: late ? 'confirmed' : 'confirming',
      confirmations: late ? confirmationsOf(coin) : 1,
      date: this.nowSeconds(),
      late,
    }
  }

  private emit(inv: FakeInvoice, label: string): void {
    if (!inv.callbackUrl) return
    const txs = inv.txs.map(tx => ({ ...tx }))
    let value = ZERO
    for (const tx of txs) value = addDec(value, dec(tx.value))
    const total = formatDec(value)
    this.opts.raise({ invoice: inv, label, body: callbackBody(inv, label, txs, { value: total, sentValue: total }) })
  }

  private newTrackId(): string {
    let trackId: string
    do trackId = String(100_000_000 + Math.floor(this.opts.random() * 900_000_000))
    while (this.byId.has(trackId))
    return trackId
  }

  private hex(n: number): string {
    let s = ''
    while (s.length < n) s += Math.floor(this.opts.random() * 16).toString(16)
    return s
  }

  private nowSeconds(): number {
    return Math.floor(this.opts.now() / 1000)
  }
}

/** "paid" → "Paid", "manual_accept" → "Manual_accept": callbacks capitalise statuses. */
export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}

export { seededRandom, type SeededRandom } from '../kit/seeded-random.ts'
