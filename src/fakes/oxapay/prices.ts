import { defaultNetwork } from './networks.ts'

/**
 * The fake's fixed market: USD price of each currency it accepts. Invoice currencies may be fiat or
 * crypto; payments must be crypto. Fixed prices keep every figure in tests predictable.
 */
export const FIAT_USD: Record<string, string> = { USD: '1', EUR: '1.08', GBP: '1.27' }

export const FIAT_NAMES: Record<string, string> = {
  USD: 'United States Dollar',
  EUR: 'Euro',
  GBP: 'British Pound Sterling',
}

export const CRYPTO_USD: Record<string, string> = {
  USDT: '1',
  USDC: '1',
  DAI: '1',
  BTC: '65000',
  ETH: '2500',
  TRX: '0.25',
  POL: '0.36839',
  LTC: '80',
  BNB: '600',
  SOL: '150',
  TON: '5',
  DOGE: '0.15',
  XMR: '150',
}

const CONFIRMATIONS: Record<string, number> = { BTC: 2, ETH: 12, POL: 250, TRX: 19, USDT: 19, LTC: 6 }

/** USD price of a currency the fake knows (fiat or crypto); undefined otherwise. */
export function usdPrice(symbol: string): string | undefined {
  return FIAT_USD[symbol] ?? CRYPTO_USD[symbol]
}

/** True for coins a payer can send. */
export function isCoin(symbol: string): boolean {
  return symbol in CRYPTO_USD
}

/** Display name of the coin's default network, as OxaPay shows it ("Polygon Network"). */
export function networkOf(coin: string): string {
  return defaultNetwork(coin)?.name ?? `${coin} Network`
}

/** Confirmation count the fake reports once a tx is confirmed. */
export function confirmationsOf(coin: string): number {
  return CONFIRMATIONS[coin] ?? 10
}
