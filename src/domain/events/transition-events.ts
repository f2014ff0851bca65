import type { Db } from '../../db/connect.ts'
import {
  recordOrderEvent,
  recordServiceEvent,
  type OrderEventType,
  type ServiceEventType,
} from './record-object-event.ts'

/**
 * Which status moves are events, per aggregate: `from>to` → event type. A move whose `from` is a
 * list is an event only when every listed status makes the same one (the row's previous status
 * is not read back, to keep a move one statement). Moves not listed here (a plan change's
 * `active>resizing`, a failed suspension's `suspending>active`) tell nobody anything new.
 */
const SERVICE_MOVES = {
  server: {
    'provisioning>active': 'service.provisioned',
    'suspending>suspended': 'service.suspended',
    'suspended>active': 'service.resumed',
    'terminating>deleted': 'service.terminated',
  },
  server_addon: {
    'unassigned>assigned': 'service.provisioned',
    'releasing>released': 'service.terminated',
    'assigned>released': 'service.terminated',
  },
  plesk_subscription: {
    'provisioning>active': 'service.provisioned',
    'renewing>active': 'service.renewed',
    'suspending>suspended': 'service.suspended',
    'terminating>deleted': 'service.terminated',
  },
} as const satisfies Record<string, Record<string, ServiceEventType>>

const ORDER_MOVES: Record<string, OrderEventType> = {
  'processing>completed': 'order.completed',
  'processing>failed': 'order.failed',
  'pending_payment>cancelled': 'order.cancelled',
}

function eventOf<E extends string>(table: Record<string, E>, from: string | readonly string[], to: string): E | null {
  const froms = typeof from === 'string' ? [from] : from
  const types = new Set(froms.map(f => table[`${f}>${to}`]))
  if (types.size !== 1) return null
  return [...types][0] ?? null
}

/** After a service moved: records its event, if the move is one. */
export async function serviceMoved(
  trx: Db,
  kind: keyof typeof SERVICE_MOVES,
  id: string,
  move: { from: string | readonly string[]; to: string; now: Date; reason?: string },
): Promise<void> {
  const type = eventOf<ServiceEventType>(SERVICE_MOVES[kind], move.from, move.to)
  if (type === null) return
  // A termination says why (its job's payload): 'cancelled' by its owner, 'unpaid' after the
  // grace period, 'operator'; older jobs without one were all cancellations.
  const extra =
    type === 'service.suspended'
      ? { reason: 'the term ended unpaid' }
      : type === 'service.terminated'
        ? { reason: move.reason ?? 'cancelled' }
        : {}
  // The catalog's `order` of a provisioning or a renewal: a move does not know its order; null says so.
  const order = type === 'service.provisioned' || type === 'service.renewed' ? null : undefined
  await recordServiceEvent(trx, type, { kind, id }, move.now, extra, order)
}

/** After an order moved: records its event (with the failure or cancellation reason), if the move is one. */
export async function orderMoved(
  trx: Db,
  id: string,
  move: { from: string | readonly string[]; to: string; now: Date; reason?: string | null },
): Promise<void> {
  const type = eventOf(ORDER_MOVES, move.from, move.to)
  if (type === null) return
  const extra = type === 'order.completed' ? {} : { reason: move.reason ?? '' }
  await recordOrderEvent(trx, type, id, move.now, { extra })
}
