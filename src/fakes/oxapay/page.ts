import { formatDec, subDec, parseDec, type Dec } from '../../lib/money.ts'
import type { FakeInvoice } from './state.ts'

/** The fake's stand-in for OxaPay's hosted checkout: enough for a human to "pay" from a browser. */
export function paymentPage(inv: FakeInvoice, credited: Dec): string {
  const due = subDec(parseDec(inv.amount)!, credited)
  const open = inv.status === 'new' || inv.status === 'waiting' || inv.status === 'paying'
  const suggested = due.units > 0n ? formatDec(due) : inv.amount
  const id = esc(inv.trackId)
  const back =
    inv.returnUrl && (inv.status === 'paid' || inv.status === 'manual_accept')
      ? `<p><a href="${esc(inv.returnUrl)}">Return to merchant</a></p>`
      : ''
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Fake OxaPay ${id}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto}dt{font-weight:bold}label{display:block;margin:.5rem 0}</style>
</head><body>
<h1>Fake OxaPay invoice ${id}</h1>
<dl>
<dt>Amount</dt><dd>${esc(inv.amount)} ${esc(inv.currency)}</dd>
<dt>Received</dt><dd>${esc(formatDec(credited))} ${esc(inv.currency)}</dd>
<dt>Status</dt><dd id="status">${esc(inv.status)}</dd>
<dt>Expires</dt><dd>${new Date(inv.expiredAt * 1000).toISOString()}</dd>
${inv.description ? `<dt>Description</dt><dd>${esc(inv.description)}</dd>` : ''}
</dl>
<form method="post" action="/__fake/pay">
<input type="hidden" name="track_id" value="${id}">
<label>Amount (${esc(inv.currency)}) <input name="amount" value="${esc(suggested)}"></label>
<label>Coin <input name="coin" value="USDT"></label>
<button type="submit">${open ? 'Pay' : 'Pay late'}</button>
</form>
${open ? `<form method="post" action="/__fake/expire"><input type="hidden" name="track_id" value="${id}"><button type="submit">Expire now</button></form>` : ''}
${back}
</body></html>
`
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
}
