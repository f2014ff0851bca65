import { Type } from 'typebox'
import { CreateAddonBody, CreateOrderBody, CreatePleskBody, ScalePleskBody } from './orders.schema.ts'

/** The order endpoints a quote can price, each with the body schema its route validates. */
export const QUOTE_ENDPOINTS = {
  create_order: CreateOrderBody,
  create_order_addon: CreateAddonBody,
  create_order_plesk: CreatePleskBody,
  create_order_scale_plesk: ScalePleskBody,
} as const
export type QuoteEndpoint = keyof typeof QUOTE_ENDPOINTS

export const QuoteBody = Type.Object(
  {
    endpoint: Type.Enum(Object.keys(QUOTE_ENDPOINTS) as QuoteEndpoint[], {
      description: 'The order endpoint (under /API/orders/) whose body `order` is',
    }),
    order: Type.Union([CreateOrderBody, CreateAddonBody, CreatePleskBody, ScalePleskBody], {
      description:
        "Exactly the body `endpoint` takes; validated against that endpoint's schema (an unknown field is refused, as with STRICT_UNKNOWN_FIELDS)",
    }),
  },
  { additionalProperties: false },
)

const Money = (description: string) => Type.String({ pattern: '^-?[0-9]+\\.[0-9]{2}$', description })
const NIso = (description: string) => Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description })

export const QuoteResponse = Type.Object(
  {
    success: Type.Literal(true),
    quote: Type.Object(
      {
        kind: Type.Enum(
          ['server_new', 'server_change_plan', 'server_extend', 'addon', 'plesk_new', 'plesk_renew', 'plesk_upgrade'],
          { description: 'What the order would do' },
        ),
        amount: Money(
          'What the order would charge now, EUR: the debit of a balance order, the invoice of a crypto one',
        ),
        currency: Type.Literal('EUR'),
        upgrade_difference: Type.Union(
          [Money('The remaining time re-valued at the new price (negative on a downgrade)'), Type.Null()],
          {
            description: 'Plan changes only (server_change_plan, plesk_upgrade); null otherwise',
          },
        ),
        current_expiry: NIso('The expiry of the service the order acts on; null for a new one'),
        new_expiry: NIso('The expiry after the order, applied now'),
        balance: Money("The paying user's balance now, EUR"),
        balance_sufficient: Type.Boolean({ description: 'Whether the balance covers `amount`' }),
        lines: Type.Array(
          Type.Object({ description: Type.String(), amount: Money('EUR; the lines add up to `amount`') }),
          { description: 'What the amount is made of' },
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
)
