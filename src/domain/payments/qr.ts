import QRCode from 'qrcode'
import type { Payment } from '../../db/schema.ts'

/**
 * The QR code of a white-label invoice, rendered here (npm `qrcode`) as a PNG `data:` URL: the
 * deposit address never leaves oxbill for a third-party QR service (the docs' example links one).
 *
 * What it encodes: a BIP-21-style payment URI (`bitcoin:ADDRESS?amount=0.00021584`) for the coins
 * whose wallets share that standard, on their own chain — Bitcoin, Litecoin, Dogecoin, Bitcoin
 * Cash — and the bare address for everything else. Tokens (USDT on Tron, USDC on Ethereum…) get
 * the address only on purpose: their URIs (EIP-681 and kin) name a token contract, and a wallet
 * reading a wrong or missing one could send the wrong asset; the amount and coin are shown beside
 * the QR code anyway. A memo, when the chain needs one, is shown beside it too, never encoded.
 */
const URI_SCHEMES: Record<string, { scheme: string; networks: readonly string[] }> = {
  BTC: { scheme: 'bitcoin', networks: ['bitcoin', 'btc'] },
  LTC: { scheme: 'litecoin', networks: ['litecoin', 'ltc'] },
  DOGE: { scheme: 'dogecoin', networks: ['dogecoin', 'doge'] },
  BCH: { scheme: 'bitcoincash', networks: ['bitcoincash', 'bch'] },
}

const bare = (network: string): string =>
  network
    .toLowerCase()
    .replace(/[\s_-]+/g, '')
    .replace(/network$/, '')

/** What the QR code of this payment encodes; null without a deposit address. */
export function paymentUri(p: Pick<Payment, 'address' | 'pay_currency' | 'network' | 'pay_amount'>): string | null {
  if (p.address === null) return null
  const uri = p.pay_currency === null ? undefined : URI_SCHEMES[p.pay_currency]
  if (uri === undefined || p.network === null || !uri.networks.includes(bare(p.network))) return p.address
  return p.pay_amount === null ? `${uri.scheme}:${p.address}` : `${uri.scheme}:${p.address}?amount=${p.pay_amount}`
}

/** `data:image/png;base64,…` of the payment's QR code; null without a deposit address. */
export async function qrCodeOf(
  p: Pick<Payment, 'address' | 'pay_currency' | 'network' | 'pay_amount'>,
): Promise<string | null> {
  const text = paymentUri(p)
  if (text === null) return null
  return QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, width: 256 })
}
