import type { Payment } from '../../db/schema.ts'
import { formatAmount } from '../../lib/money.ts'
import { isOpenStatus } from './observation.ts'
import { qrCodeOf } from './qr.ts'
import { displayStatus } from './render.ts'

/**
 * The payer's page of a white-label invoice (its `payment_url`): what to send, on which network,
 * to which address (and memo), its QR code, the expiry and the status. It shows nothing about the
 * customer (no order, no description). Once the invoice is no longer open the address and QR
 * code are withdrawn: OxaPay warns that what is sent to an expired address is lost, so the page
 * never invites a late payment. `fakeWallet` (zero-setup mode, fake OxaPay only) adds a form that
 * pays the address from the fake's wallet.
 */
export async function checkoutPage(p: Payment, opts: { now: Date; fakeWallet: boolean }): Promise<string> {
  const open = isOpenStatus(p.status) && (p.expired_at === null || p.expired_at > opts.now)
  const paid = p.status === 'paid' || p.status === 'manual_accept'
  const amount = `${formatAmount(p.amount_cents)} ${p.currency}`
  const minutesLeft =
    p.expired_at === null ? null : Math.max(0, Math.ceil((p.expired_at.getTime() - opts.now.getTime()) / 60_000))
  const qr = open ? await qrCodeOf(p) : null
  const coin = `${p.pay_amount ?? '?'} ${p.pay_currency ?? ''}`.trim()
  const body = paid
    ? '<p class="ok">Paid. Thank you.</p>'
    : open
      ? `<p>Send exactly <strong>${esc(coin)}</strong> on <strong>${esc(p.network ?? 'its network')}</strong> to:</p>
<p class="address">${esc(p.address ?? '')}</p>
${p.memo ? `<p>Memo / destination tag (required): <strong class="address">${esc(p.memo)}</strong></p>` : ''}
${qr !== null ? `<p><img src="${qr}" width="256" height="256" alt="QR code of the deposit address"></p>` : ''}
<p>Expires ${p.expired_at !== null ? `at ${esc(p.expired_at.toISOString())} (in ${minutesLeft} min)` : 'soon'}. Do not send anything after that: it could be lost.</p>`
      : '<p class="closed">This invoice is no longer open. Do not send anything to its address: ask for a new invoice.</p>'
  const wallet =
    opts.fakeWallet && p.address !== null
      ? `<hr><form method="post"><p>Zero-setup mode: pay this address from the fake OxaPay's wallet (no real money).</p>
<label>Amount (${esc(p.pay_currency ?? '')}) <input name="amount" value="${esc(p.pay_amount ?? '')}"></label>
<button type="submit">Pay</button></form>`
      : ''
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pay ${esc(amount)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem}.address{font-family:monospace;word-break:break-all;font-size:1.1rem}.ok{color:#176b2c}.closed{color:#8a1c1c}</style>
</head><body>
<h1>Pay ${esc(amount)}</h1>
<p>Status: <strong id="status">${esc(displayStatus(p))}</strong></p>
${body}
${wallet}
</body></html>
`
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
}
