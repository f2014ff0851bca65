import { DELIVERY_STATES, type DeliveryState } from '../../../db/states.ts'
import { validation } from '../../../lib/errors.ts'

/** `state=pending,failed` → the states; an unknown one is a 400 naming it. */
export function deliveryStatesOf(raw: string | undefined): DeliveryState[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined
  const states = raw.split(',').map(s => s.trim())
  for (const s of states) {
    if (!(DELIVERY_STATES as readonly string[]).includes(s)) {
      throw validation(`unknown state ${JSON.stringify(s.slice(0, 40))}; known: ${DELIVERY_STATES.join(', ')}`, 'state')
    }
  }
  return states as DeliveryState[]
}
