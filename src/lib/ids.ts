import { randomBytes, randomUUID } from 'node:crypto'

/** Ids the 0xhost docs expose (orders, servers, subscriptions…) are UUIDs. */
export const newUuid = (): string => randomUUID()

/**
 * Ids the docs leave open get a typed, time-sortable prefix (STYLE rule 12):
 * 12 hex chars of milliseconds + 12 random hex chars.
 */
const PREFIXES = {
  job: 'job',
  request: 'req',
  key: 'key',
  ledger: 'led',
  audit: 'aud',
  payment: 'pay',
  event: 'evt',
  period: 'per',
  webhookEndpoint: 'whe',
  webhookDelivery: 'whd',
  mailDelivery: 'mld',
  serverAction: 'act',
  pleskAction: 'pla',
  session: 'ses',
  accountToken: 'tok',
  recoveryCode: 'rcv',
} as const
export type IdKind = keyof typeof PREFIXES

export function newId(kind: IdKind): string {
  const time = Date.now().toString(16).padStart(12, '0')
  return `${PREFIXES[kind]}_${time}${randomBytes(6).toString('hex')}`
}
