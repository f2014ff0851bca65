import { Type } from 'typebox'
import { Id } from '../../../schemas/common.ts'
import { Success, UserIdParam } from '../shared.schema.ts'
import { ServerAction } from './power.schema.ts'

/** Server rebuild (issue 13): reinstall, root password, VNC console, rescue mode. */

const ServerIdBody = { ...UserIdParam, server_id: Id('Server id') }

export const ReinstallBody = Type.Object(
  {
    ...ServerIdBody,
    os_id: Id("The OS image to install: one of the plan's os_image_ids (GET /API/catalog/os_images), active"),
  },
  { additionalProperties: false },
)

export const ReinstallResponse = Type.Object({
  success: Success,
  action: ServerAction,
  root_password: Type.String({
    description:
      'The root password of the reinstalled server, chosen by oxbill and shown only in this answer (never stored in plain text); it is set when the action is done',
  }),
})

export const ServerActionBody = Type.Object(ServerIdBody, { additionalProperties: false })

export const ActionResponse = Type.Object({ success: Success, action: ServerAction })

export const RevealBody = Type.Object(
  { ...ServerIdBody, action_id: Id('The reset_password action (act_…) whose password_ready is true') },
  { additionalProperties: false },
)

export const RevealResponse = Type.Object({
  success: Success,
  root_password: Type.String({ description: 'The new root password; this is the only time it is shown' }),
})

export const ConsoleResponse = Type.Object({
  success: Success,
  console: Type.Object({
    url: Type.String({
      description:
        "The websocket URL the browser's VNC client (noVNC) opens, straight to the SolusVM master; a bearer secret, valid until expires_at",
    }),
    password: Type.String({ description: 'The VNC password the client sends; a bearer secret' }),
    expires_at: Type.String({
      format: 'date-time',
      description: 'When the link stops working (5 minutes), ISO-8601 UTC',
    }),
  }),
})

export const RescueBody = Type.Object(
  {
    ...ServerIdBody,
    enabled: Type.Boolean({
      description: 'true: boot the rescue image (rescue_on); false: boot the disk again (rescue_off)',
    }),
  },
  { additionalProperties: false },
)
