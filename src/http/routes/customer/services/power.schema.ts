import { Type } from 'typebox'
import { Id } from '../../../schemas/common.ts'
import {
  PASSWORD_DELIVERIES,
  POWER_ACTION_KINDS,
  SERVER_ACTION_KINDS,
  SERVER_ACTION_STATUSES,
} from '../../../../db/states.ts'
import { Nullable, Success, UserIdParam } from '../shared.schema.ts'

/**
 * Actions on a server (contract "Power", issue 13 rebuild): start, stop (power off), shutdown
 * (graceful), reboot; reinstall, reset_password, rescue_on, rescue_off (rebuild.schema.ts).
 */

const Iso = (description: string) => Type.String({ format: 'date-time', description })

export const ServerAction = Type.Object({
  id: Type.String({ description: 'The action (act_…)' }),
  server_id: Type.String(),
  action: Type.Enum([...SERVER_ACTION_KINDS], {
    description:
      'start, stop (power off), shutdown (graceful, the guest is asked), reboot; reinstall (new OS image), reset_password (new root password), rescue_on / rescue_off (boot the rescue image / the disk)',
  }),
  status: Type.Enum([...SERVER_ACTION_STATUSES], {
    description: 'queued (written), running (SolusVM has its task), done, failed (see error)',
  }),
  error: Nullable(Type.String({ description: 'Why it failed; null otherwise' })),
  created_at: Iso('When it was asked for, ISO-8601 UTC'),
  finished_at: Nullable(Iso('When it ended, ISO-8601 UTC')),
  os_id: Type.Optional(Nullable(Type.String({ description: 'A reinstall: the OS image it puts on; null otherwise' }))),
  password_ready: Type.Optional(
    Type.Boolean({
      description:
        'A reset_password that is done and whose new root password SolusVM answered: POST /API/servers/actions/reveal_password shows it, once',
    }),
  ),
  password_delivery: Type.Optional(
    Nullable(
      Type.Enum([...PASSWORD_DELIVERIES], {
        description:
          'How the root password reaches the customer: shown (by oxbill, once: the reinstall answer, or reveal_password after a reset), email (SolusVM mailed the owner a link); null for actions without one or before it is known',
      }),
    ),
  ),
})

export const PowerBody = Type.Object(
  {
    ...UserIdParam,
    server_id: Id('Server id'),
    action: Type.Enum([...POWER_ACTION_KINDS], {
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
