import { Type } from 'typebox'
import { Id } from '../../../schemas/common.ts'
import { PLESK_ACTION_KINDS, PLESK_ACTION_STATUSES } from '../../../../db/states.ts'
import { Nullable, Success, UserIdParam } from '../shared.schema.ts'

/** Plesk subscription actions (issue 13, contract "B — Plesk"): auto-renew, FTP password, actions, panel login. */

const Iso = (description: string) => Type.String({ format: 'date-time', description })

export const PleskAction = Type.Object({
  id: Type.String({ description: 'The action (pla_…)' }),
  subscription_id: Type.String(),
  action: Type.Enum([...PLESK_ACTION_KINDS], {
    description: 'ftp_password (the customer), suspend or resume (an operator)',
  }),
  status: Type.Enum([...PLESK_ACTION_STATUSES], {
    description: 'queued (written), running (its job has started on it), done, failed (see error)',
  }),
  error: Nullable(Type.String({ description: 'Why it failed; null otherwise' })),
  created_at: Iso('When it was asked for, ISO-8601 UTC'),
  finished_at: Nullable(Iso('When it ended, ISO-8601 UTC')),
})

export const PleskAutoRenewBody = Type.Object(
  {
    ...UserIdParam,
    subscription_id: Id('Subscription id'),
    auto_renew: Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal('0'), Type.Literal('1'), Type.Boolean()], {
      description: '1 (or "1", true) on, 0 (or "0", false) off',
    }),
  },
  { additionalProperties: false },
)

export const PleskAutoRenewResponse = Type.Object({ success: Success, message: Type.String() })

export const FtpPasswordBody = Type.Object(
  {
    ...UserIdParam,
    subscription_id: Id('Subscription id'),
    password: Type.String({
      minLength: 1,
      maxLength: 64,
      description:
        'The new password of the main FTP user: 10-64 printable characters without spaces, a letter and a digit, not containing the FTP login. Never stored or echoed',
    }),
  },
  { additionalProperties: false },
)

export const PleskActionResponse = Type.Object({ success: Success, action: PleskAction })

export const PleskActionsQuery = Type.Object(
  { ...UserIdParam, subscription_id: Id('Subscription id') },
  { additionalProperties: false },
)

export const PleskActionsResponse = Type.Object({ success: Success, actions: Type.Array(PleskAction) })

export const PleskLoginBody = Type.Object(
  { ...UserIdParam, subscription_id: Id('Subscription id') },
  { additionalProperties: false },
)

export const PleskLoginResponse = Type.Object({
  success: Success,
  url: Type.String({
    description:
      "One-time link into the Plesk panel as the subscription's customer: open it at once, from the same IP address (it works once, within minutes)",
  }),
  expires_at: Iso('When the link stops working, ISO-8601 UTC'),
})
