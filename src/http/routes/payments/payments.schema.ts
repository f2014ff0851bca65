import { Type } from 'typebox'
import { STATUS_LABELS } from '../../../integrations/oxapay/map.ts'
import { Id } from '../../schemas/common.ts'
import { PageMeta, PageQuery } from '../../schemas/paging.ts'

/** Request and response schemas of the payment endpoints (0xhost-api §3.18–3.22). */

const NStr = () => Type.Union([Type.String(), Type.Null()])
const NInt = () => Type.Union([Type.Integer(), Type.Null()])
const NStrD = (description: string) => Type.Union([Type.String(), Type.Null()], { description })

/** Coin symbols and network names, as the client sends them and OxaPay takes them. */
const COIN = '^[A-Za-z0-9]{2,10}$'
const NETWORK = '^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,49}$'

/** What the payer needs, in every answer about a white-label invoice (null until it exists). */
const payerFields = {
  pay_currency: NStrD("Coin to send (USDT, ETH…): the one asked for, else the operator's default"),
  network: NStrD('Network of the deposit address, as OxaPay names it ("Tron Network")'),
  address: NStrD('Deposit address of this invoice (white-label: fixed at creation)'),
}
const memo = NStrD('Destination memo/tag to send with the coins on chains that need one (TON…); null otherwise')
const qrCode = NStrD(
  'QR code of the deposit address, a data:image/png;base64 URL rendered by oxbill: a BIP-21 URI (bitcoin:ADDRESS?amount=…) for Bitcoin, Litecoin, Dogecoin and Bitcoin Cash on their own chain, else the bare address',
)

/** `payment` of a crypto order's answer (orders.schema.ts uses these fields): the invoice and what the payer needs. */
export const OrderPaymentFields = {
  track_id: NStr(),
  payment_url: NStrD("The payer's checkout page (address, amount, QR code)"),
  amount: Type.String({ description: 'Invoice amount, EUR' }),
  currency: Type.String(),
  expired_at: Type.Union([Type.Integer({ description: 'Invoice expiry, Unix seconds' }), Type.Null()]),
  pay_amount: Type.Union([Type.Number(), Type.Null()], {
    description: 'Exact coin amount to send (a JSON number, as the invoice answer)',
  }),
  ...payerFields,
  memo,
  qr_code: qrCode,
}

/** Payment statuses as displayed (OxaPay's casing; stored lowercase). */
export const PaymentStatus = Type.Enum([...STATUS_LABELS], {
  description: `OxaPay's status of the payment: ${STATUS_LABELS.join(', ')}`,
})

/**
 * One path, three bodies, told apart by their fields: `server_id` (.net, §3.18: a 720-hour
 * renewal of the server), `order_id` + `currency` + `pay_currency` + `network` (.com, §3.19: the
 * invoice of a pending crypto order), `amount` (a balance top-up, RECHARGE).
 */
export const InvoiceBody = Type.Object(
  {
    user_id: Id('User UUID'),
    server_id: Type.Optional(Id('Server UUID: renew it for 720 hours (.net variant)')),
    order_id: Type.Optional(Id('Order UUID of a pending_payment crypto order (.com variant)')),
    currency: Type.Optional(
      Type.String({ minLength: 1, maxLength: 10, description: 'Invoice currency: EUR (.com variant)' }),
    ),
    pay_currency: Type.Optional(
      Type.String({
        pattern: COIN,
        description:
          "Coin the payer sends, e.g. ETH or USDT (.com variant, required; a top-up, optional: else the operator's default). OxaPay refusing it is a 400",
      }),
    ),
    network: Type.Optional(
      Type.String({
        pattern: NETWORK,
        description:
          "Network of the coin, e.g. Ethereum, TRC20, BEP20 (.com variant, required; a top-up, optional: else the coin's default network)",
      }),
    ),
    amount: Type.Optional(
      Type.Union(
        [Type.String({ pattern: '^[0-9]{1,5}(\\.[0-9]{1,2})?$' }), Type.Number({ minimum: 1, maximum: 10000 })],
        { description: 'Top-up amount, EUR, 1.00 to 10000.00 (balance top-up)' },
      ),
    ),
  },
  { additionalProperties: false },
)

export const InvoiceResponse = Type.Object({
  success: Type.Boolean(),
  transaction: Type.Object({ id: Type.String({ description: 'Transaction (payment) id' }), success: Type.Boolean() }),
  message: Type.String(),
  data: Type.Object({
    track_id: NStr(),
    amount: Type.Number({ description: 'Invoice amount, EUR (a JSON number, as documented)' }),
    currency: Type.String(),
    pay_amount: Type.Union([Type.Number(), Type.Null()], {
      description: 'Exact coin amount to send (a JSON number, as documented)',
    }),
    ...payerFields,
    qr_code: qrCode,
    lifetime: Type.Integer({ description: 'Minutes' }),
    expired_at: NInt(),
    order_id: Type.String({ description: 'The order paid by this invoice; "" for a top-up' }),
    date: NInt(),
    memo,
  }),
  payment_url: NStrD("The payer's checkout page, served by oxbill (address, amount, QR code)"),
})

const rowFields = {
  id: Type.String(),
  user_id: Type.String(),
  order_id: Type.String(),
  track_id: NStr(),
  status: PaymentStatus,
  type: Type.String({ description: 'ORDER or RECHARGE' }),
  amount: Type.String(),
  currency: Type.String(),
  pay_amount: NStrD('Exact coin amount to send (a decimal string, as documented here)'),
  pay_currency: payerFields.pay_currency,
  date: Type.Integer(),
  tx_hash: NStr(),
  network: payerFields.network,
  address: payerFields.address,
  description: Type.String(),
  ip_address: NStr(),
  created_at: Type.String(),
  updated_at: Type.String(),
  expired_at: NInt(),
  payment_url: NStrD("The payer's checkout page"),
  credited_amount: Type.String({ description: 'What this payment credited to the balance, EUR' }),
  memo,
}

export const TransactionRow = Type.Object(rowFields)

export const TransactionResponse = Type.Object({
  success: Type.Boolean(),
  data: Type.Object({ ...rowFields, qr_code: qrCode, type_order: NStr(), order_type: NStr() }),
})

export const TrackIdQuery = Type.Object(
  {
    track_id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', description: 'OxaPay track id' }),
  },
  { additionalProperties: false },
)

export const ListTransactionsQuery = Type.Object(
  {
    ...PageQuery,
    user_id: Type.Optional(Id('User UUID (an admin key may name any user; a customer key only itself)')),
  },
  { additionalProperties: false },
)

export const ListTransactionsResponse = Type.Object({
  success: Type.Boolean(),
  data: Type.Array(TransactionRow),
  meta: PageMeta,
})

export const CheckoutParams = Type.Object(
  {
    payment_id: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z0-9_-]+$',
      description: "The payment's id (transaction.id of the invoice answer)",
    }),
  },
  { additionalProperties: false },
)

export const FakeWalletBody = Type.Union([
  Type.Null(),
  Type.Object(
    {
      amount: Type.Optional(
        Type.String({
          pattern: '^[0-9]{1,12}(\\.[0-9]{1,8})?$',
          description: 'Coin amount the fake wallet sends (default: what is still due)',
        }),
      ),
    },
    { additionalProperties: false },
  ),
])

export const FakeWalletResponse = Type.Object({
  success: Type.Boolean(),
  message: Type.String(),
  data: Type.Object({
    track_id: Type.String(),
    status: PaymentStatus,
    address: Type.String(),
    sent: Type.String({ description: 'Coin amount sent' }),
  }),
})
