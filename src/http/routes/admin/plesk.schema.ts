import { Type } from 'typebox'
import { Id } from '../../schemas/common.ts'
import { PleskAction } from '../customer/plesk/actions.schema.ts'

/** An operator's suspension of a Plesk subscription and its lifting (issue 13, contract "B — Plesk"). */

export const AdminPleskSuspendBody = Type.Object(
  {
    subscription_id: Id('Subscription id (any user’s)'),
    reason: Type.Optional(
      Type.String({ maxLength: 500, description: 'Why (kept on the subscription and the action, audited)' }),
    ),
  },
  { additionalProperties: false },
)

export const AdminPleskResumeBody = Type.Object(
  { subscription_id: Id('Subscription id (any user’s)') },
  { additionalProperties: false },
)

export const AdminPleskActionResponse = Type.Object({ success: Type.Literal(true), action: PleskAction })
