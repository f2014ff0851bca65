import { Type } from 'typebox'
import { Id } from '../../../schemas/common.ts'
import { SERVER_ACTION_KINDS, SERVER_ACTION_STATUSES } from '../../../../db/states.ts'
import { Nullable, Success, UserIdParam } from '../shared.schema.ts'

/** Power actions on a server (contract "Power"): start, stop (power off), shutdown (graceful), reboot. */

const Iso = (description: string) => Type.String({ format: 'date-time', description })

export const ServerAction = Type.Object({
  id: Type.String({ description: 'The action (act_…)' }),
  server_id: Type.String(),
  action: Type.Enum([...SERVER_ACTION_KINDS], {
    description: 'start, stop (power off), shutdown (graceful, the guest is asked) or reboot',
  }),
  status: Type.Enum([...SERVER_ACTION_STATUSES], {
    description: 'queued (written), running (SolusVM has its task), done, failed (see error)',
  }),
  error: Nullable(Type.String({ description: 'Why it failed; null otherwise' })),
  created_at: Iso('When it was asked for, ISO-8601 UTC'),
  finished_at: Nullable(Iso('When it ended, ISO-8601 UTC')),
})

export const PowerBody = Type.Object(
  {
    ...UserIdParam,
    server_id: Id('Server id'),
    action: Type.Enum([...SERVER_ACTION_KINDS], {
      description: 'start, stop (power off), shutdown (graceful) or reboot',
    }),
  },
  { additionalProperties: false },
)

export const PowerResponse = Type.Object({ success: Success, action: ServerAction })

export const ServerActionsQuery = Type.Object(
  { ...UserIdParam, server_id: Id('Server id') },
  { additionalProperties: false },
)

export const ServerActionsResponse = Type.Object({ success: Success, actions: Type.Array(ServerAction) })
