import type { UpdateObject } from 'kysely'
import type { Db } from '../../db/connect.ts'
import type { Database } from '../../db/schema.ts'
import type { OrderStatus } from '../../db/states.ts'
import { moveRow, type Machine, type Move } from './transition.ts'
import { orderMoved } from '../events/transition-events.ts'

/**
 * An order is paid (balance: at once; crypto: `pending_payment` until settlement) and applied by
 * its job; a failure refunds it, and an operator's retry charges it again. Orders that need no
 * provider (a balance extension, an auto-renewal of a server) are written `completed`.
 */
export const ORDER: Machine<OrderStatus> = {
  name: 'order',
  initial: ['processing', 'pending_payment', 'completed'],
  moves: {
    pending_payment: ['processing', 'cancelled'],
    processing: ['completed', 'failed'],
    failed: ['processing'],
    completed: [],
    cancelled: [],
  },
}

type Extra = Omit<UpdateObject<Database, 'orders'>, 'status' | 'updated_at'>

/** Moves order `id` (see `Move`). True when it moved. */
export async function moveOrder(trx: Db, id: string, move: Move<OrderStatus, Extra>): Promise<boolean> {
  const ok = await moveRow(trx, 'orders', ORDER, id, move)
  if (ok) {
    await orderMoved(trx, id, {
      ...move,
      reason: typeof move.set?.failure_reason === 'string' ? move.set.failure_reason : null,
    })
  }
  return ok
}
