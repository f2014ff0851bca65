import { Type } from 'typebox'
import { Id } from '../../schemas/common.ts'
import { PageMeta, PageQuery } from '../../schemas/paging.ts'

/** Request and response schemas of the payment endpoints (0xhost-api §3.18–3.22). */

const NStr = () => Type.Union([Type.String(), Type.Null()])
const NInt = () => Type.Union([Type.Integer(), Type.Null()])

/**
 * One path, three bodies, told apart by their fields: `server_id` (.net, §3.18: a 720-hour
 * renewal of the server), `order_id` + `currency` + `pay_currency` + `network` (.com, §3.19: the
 * invoice of a pending crypto order), `amount` (a balance top-up, RECHARGE).
 */
export const InvoiceBody = Type.Object({
  user_id: Id('User UUID'),
  server_id: Type.Optional(Id('Server UUID: renew it for 720 hours (.net variant)')),
  order_id: Type.Optional(Id('Order UUID of a pending_payment crypto order (.com variant)')),
  currency: Type.Optional(Type.String({ minLength: 1, maxLength: 10, description: 'Invoice currency: EUR (.com variant)' })),
  pay_currency: Type.Optional(Type.String({ minLength: 1, maxLength: 20, description: 'Coin, e.g. ETH (.com variant; the payer picks it on the invoice page)' })),
  network: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'Network, e.g. Ethereum (.com variant; informational)' })),
  amount: Type.Optional(Type.Union([
    Type.String({ pattern: '^[0-9]{1,5}(\\.[0-9]{1,2})?$' }), Type.Number({ minimum: 1, maximum: 10000 }),
  ], { description: 'Top-up amount, EUR, 1.00 to 10000.00 (balance top-up)' })),
}, { additionalProperties: false })

export const InvoiceResponse = Type.Object({
  success: Type.Boolean(),
  transaction: Type.Object({ id: Type.String({ description: 'Transaction (payment) id' }), success: Type.Boolean() }),
  message: Type.String(),
  data: Type.Object({
    track_id: NStr(),
    amount: Type.Number({ description: 'Invoice amount, EUR (a JSON number, as documented)' }),
    currency: Type.String(),
    pay_amount: Type.Union([Type.Number(), Type.Null()], { description: 'Coin amount, once a payment reported it' }),
    pay_currency: NStr(),
    network: NStr(),
    address: NStr(),
    qr_code: NStr(),
    lifetime: Type.Integer({ description: 'Minutes' }),
    expired_at: NInt(),
    order_id: Type.String({ description: 'The order paid by this invoice; "" for a top-up' }),
    date: NInt(),
  }),
  payment_url: NStr(),
})

const rowFields = {
  id: Type.String(), user_id: Type.String(), order_id: Type.String(), track_id: NStr(),
  status: Type.String({ description: 'OxaPay status, lowercase: new, waiting, paying, paid, manual_accept, underpaid, refunding, refunded, expired' }),
  type: Type.String({ description: 'ORDER or RECHARGE' }), amount: Type.String(), currency: Type.String(),
  pay_amount: NStr(), pay_currency: NStr(), date: Type.Integer(), tx_hash: NStr(), network: NStr(), address: NStr(),
  description: Type.String(), ip_address: NStr(), created_at: Type.String(), updated_at: Type.String(), expired_at: NInt(),
  payment_url: NStr(), credited_amount: Type.String({ description: 'What this payment credited to the balance, EUR' }),
}

export const TransactionRow = Type.Object(rowFields)

export const TransactionResponse = Type.Object({
  success: Type.Boolean(),
  data: Type.Object({ ...rowFields, qr_code: NStr(), type_order: NStr(), order_type: NStr() }),
})

export const TrackIdQuery = Type.Object({
  track_id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', description: 'OxaPay track id' }),
}, { additionalProperties: false })

export const ListTransactionsQuery = Type.Object({
  ...PageQuery,
  user_id: Type.Optional(Id('User UUID (an admin key may name any user; a customer key only itself)')),
}, { additionalProperties: false })

export const ListTransactionsResponse = Type.Object({ success: Type.Boolean(), data: Type.Array(TransactionRow), meta: PageMeta })
