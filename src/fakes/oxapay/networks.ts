/**
 * The fake's coins and their networks, for white-label payments (oxapay-white-label §1, §3). Which
 * spellings OxaPay accepts as `network` is not documented: the fake accepts a network's key
 * (TRC20), its display name (Tron Network) and common aliases (Tron), case and spaces aside, and
 * answers the display name, as OxaPay's lookups and callbacks show it. The first network of a coin
 * is its default (the one used when `network` is omitted).
 */
export interface FakeNetwork {
  key: string
  /** Display name, as in callbacks and `/common/networks` ("Tron Network"). */
  name: string
  aliases: readonly string[]
  /** Deposit addresses on this chain look like this; `random` is the fake's seeded generator. */
  address: (random: () => number) => string
  /** Chains whose deposits carry a destination memo/tag. */
  memo: boolean
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l'
const HEX = '0123456789abcdef'
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

const chars =
  (alphabet: string, n: number) =>
  (random: () => number): string => {
    let s = ''
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(random() * alphabet.length)]
    return s
  }
const evm = (random: () => number): string => `0x${chars(HEX, 40)(random)}`

const NETWORKS: Record<string, FakeNetwork> = {
  TRC20: {
    key: 'TRC20',
    name: 'Tron Network',
    aliases: ['TRON', 'TRX', 'TRC-20'],
    address: r => `T${chars(BASE58, 33)(r)}`,
    memo: false,
  },
  ERC20: { key: 'ERC20', name: 'Ethereum Network', aliases: ['ETHEREUM', 'ETH', 'ERC-20'], address: evm, memo: false },
  BEP20: {
    key: 'BEP20',
    name: 'Binance Smart Chain',
    aliases: ['BSC', 'BNB', 'BEP-20', 'BNB SMART CHAIN'],
    address: evm,
    memo: false,
  },
  POLYGON: { key: 'POLYGON', name: 'Polygon Network', aliases: ['MATIC', 'POL'], address: evm, memo: false },
  BITCOIN: {
    key: 'BITCOIN',
    name: 'Bitcoin Network',
    aliases: ['BTC'],
    address: r => `bc1q${chars(BECH32, 38)(r)}`,
    memo: false,
  },
  LITECOIN: {
    key: 'LITECOIN',
    name: 'Litecoin Network',
    aliases: ['LTC'],
    address: r => `ltc1q${chars(BECH32, 38)(r)}`,
    memo: false,
  },
  SOLANA: { key: 'SOLANA', name: 'Solana Network', aliases: ['SOL'], address: chars(BASE58, 44), memo: false },
  TON: {
    key: 'TON',
    name: 'TON Network',
    aliases: ['TONCOIN', 'THE OPEN NETWORK'],
    address: r => `UQ${chars(BASE64URL, 46)(r)}`,
    memo: true,
  },
  DOGECOIN: {
    key: 'DOGECOIN',
    name: 'Dogecoin Network',
    aliases: ['DOGE'],
    address: r => `D${chars(BASE58, 33)(r)}`,
    memo: false,
  },
  MONERO: {
    key: 'MONERO',
    name: 'Monero Network',
    aliases: ['XMR'],
    address: r => `4${chars(BASE58, 94)(r)}`,
    memo: false,
  },
}

/** The networks each coin can be received on; the first is its default. */
const COIN_NETWORKS: Record<string, readonly string[]> = {
  USDT: ['TRC20', 'ERC20', 'BEP20', 'POLYGON', 'TON'],
  USDC: ['ERC20', 'BEP20', 'POLYGON', 'SOLANA'],
  DAI: ['ERC20'],
  BTC: ['BITCOIN'],
  ETH: ['ERC20'],
  TRX: ['TRC20'],
  POL: ['POLYGON'],
  LTC: ['LITECOIN'],
  BNB: ['BEP20'],
  SOL: ['SOLANA'],
  TON: ['TON'],
  DOGE: ['DOGECOIN'],
  XMR: ['MONERO'],
}

/** Decimal places of a coin amount (`pay_amount` is rounded up to them). */
const DECIMALS: Record<string, number> = { USDT: 6, USDC: 6, TRX: 6, DAI: 8 }

const norm = (s: string): string =>
  s
    .toUpperCase()
    .replace(/[\s_-]+/g, '')
    .replace(/NETWORK$/, '')

/** The coin's network named by `requested` (any accepted spelling), its default when omitted; undefined: not offered. */
export function findNetwork(coin: string, requested: string | null): FakeNetwork | undefined {
  const keys = COIN_NETWORKS[coin]
  if (!keys) return undefined
  if (requested === null) return NETWORKS[keys[0]!]
  const want = norm(requested)
  return keys.map(k => NETWORKS[k]!).find(n => [n.key, n.name, ...n.aliases].some(s => norm(s) === want))
}

/** The coin's default network (a hosted invoice's payer pays on it). */
export function defaultNetwork(coin: string): FakeNetwork | undefined {
  return findNetwork(coin, null)
}

/** True for a coin the merchant of the fake accepts for white-label payments. */
export function acceptsCoin(coin: string): boolean {
  return coin in COIN_NETWORKS
}

export function coinDecimals(coin: string): number {
  return DECIMALS[coin] ?? 8
}

/** A fresh memo for chains that need one: nine digits. */
export function memoFor(network: FakeNetwork, random: () => number): string {
  return network.memo ? String(100_000_000 + Math.floor(random() * 900_000_000)) : ''
}
