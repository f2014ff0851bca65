import type { Deps } from '../../deps.ts'
import { AppError } from '../../lib/errors.ts'
import { actorOf } from '../auth/api-keys.ts'
import { requireOwned, requireUser } from '../access/authorize.ts'
import { writeAudit } from '../admin/audit-log.ts'
import { assertActionable, refuseIfPending, type ServerActionRequest } from './queue-server-action.ts'

/** How long SolusVM's console link is valid (the fake enforces it; panel-actions.md §1.4). */
export const CONSOLE_TTL_MS = 5 * 60_000

export interface ConsoleView {
  /** The websocket URL the browser's VNC client opens; a bearer secret. */
  url: string
  /** The VNC password to type in; a bearer secret. */
  password: string
  expires_at: string
}

/**
 * Mints a VNC console link for an active server whose VM runs: SolusVM's VNC password and a fresh
 * `vnc_up` link, per request, never stored. Refused like every server action (not active, an
 * action open) and when the VM is not `started` (409 `invalid_state` with `power_status`). No
 * transaction is open during the SolusVM calls; the audit row (written after) has no secret.
 */
export async function openServerConsole(
  deps: Pick<Deps, 'db' | 'clock' | 'solusvm'>,
  input: ServerActionRequest,
): Promise<ConsoleView> {
  const user = await requireUser(deps.db, input.principal, input.userId, 'use')
  const server = await requireOwned(deps.db, input.principal, 'servers', input.serverId, {
    access: 'use',
    owner: user,
    usable: assertActionable,
  })
  await refuseIfPending(deps.db, server.id)
  const vmId = server.id_solusvm!
  const live = await deps.solusvm.getServer(vmId)
  if (live?.status !== 'started') {
    const status = live?.status ?? null
    throw new AppError('invalid_state', `the VM is ${status ?? 'gone'}; the console needs it started`, {
      details: { power_status: status },
    })
  }
  const console = await deps.solusvm.openConsole(vmId)
  const expiresAt = new Date(deps.clock.now().getTime() + CONSOLE_TTL_MS)
  await writeAudit(deps.db, {
    actor: actorOf(input.principal),
    requestId: input.requestId,
    action: 'server.console',
    targetType: 'server',
    targetId: server.id,
    details: { user_id: server.user_id, expires_at: expiresAt.toISOString() },
  })
  return { url: console.url, password: console.password, expires_at: expiresAt.toISOString() }
}
