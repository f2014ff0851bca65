import { Type } from 'typebox'
import { Id } from '../../schemas/common.ts'
import { Cancellation } from '../customer/services/services.schema.ts'

/** An operator's termination of any user's service (issue 13, part C). */
export const TerminateServiceBody = Type.Object(
  {
    service_id: Id('A server id, a Plesk subscription id or a server addon id, of any user'),
    refund: Type.Optional(
      Type.Boolean({
        description:
          'Credit the unused paid time (prorated to the second, rounded down); default false. CANCEL_REFUND_UNUSED does not apply here: the operator decides. Addons are never refunded.',
      }),
    ),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'Why; kept in the audit log' })),
  },
  { additionalProperties: false },
)

export const TerminateServiceResponse = Type.Object({
  success: Type.Literal(true),
  cancellation: Cancellation,
})
