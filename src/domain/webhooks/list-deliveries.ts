import type { Db } from '../../db/connect.ts'
import { fetchPage, type PageRequest } from '../../db/paginate.ts'
import type { DeliveryState } from '../../db/states.ts'
import { notFound } from '../../lib/errors.ts'
import { requireEndpoint, type EndpointOwner } from './owner.ts'

export interface WebhookDeliveryView {
  id: string
  endpoint_id: string
  event_id: string
  event_type: string
  state: DeliveryState
  /** Attempts made, replays included. */
  attempts: number
  /** When the next attempt is due (pending) or the current one's lease ends (sending). */
  next_attempt_at: string | null
  last_status: number | null
  last_error: string | null
  delivered_at: string | null
  created_at: string
  updated_at: string
}

export interface WebhookAttemptView {
  attempt: number
  started_at: string
  latency_ms: number
  /** delivered (2xx), failed, gone (410: the endpoint was disabled). */
  outcome: string
  status: number | null
  error: string | null
  /** The first 4 KiB of the receiver's answer. */
  response_excerpt: string
}

const columns = [
  'd.id',
  'd.endpoint_id',
  'd.event_id',
  'ev.type as event_type',
  'd.state',
  'd.attempts',
  'd.next_attempt_at',
  'd.lease_until',
  'd.last_status',
  'd.last_error',
  'd.delivered_at',
  'd.created_at',
  'd.updated_at',
] as const

type Row = {
  id: string
  endpoint_id: string
  event_id: string
  event_type: string
  state: DeliveryState
  attempts: number
  next_attempt_at: Date
  lease_until: Date | null
  last_status: number | null
  last_error: string | null
  delivered_at: Date | null
  created_at: Date
  updated_at: Date
}

export function deliveryView(r: Row): WebhookDeliveryView {
  const next = r.state === 'pending' ? r.next_attempt_at : r.state === 'sending' ? r.lease_until : null
  return {
    id: r.id,
    endpoint_id: r.endpoint_id,
    event_id: r.event_id,
    event_type: r.event_type,
    state: r.state,
    attempts: r.attempts,
    next_attempt_at: next?.toISOString() ?? null,
    last_status: r.last_status,
    last_error: r.last_error,
    delivered_at: r.delivered_at?.toISOString() ?? null,
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  }
}

export const UNDELIVERED: readonly DeliveryState[] = ['pending', 'sending', 'failed']

/** Deliveries, newest first, filtered by endpoint, customer, state and event. */
export function deliveriesQuery(
  db: Db,
  f: { endpointId?: string; userId?: string; states?: readonly DeliveryState[]; eventId?: string },
) {
  let q = db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('events as ev', 'ev.id', 'd.event_id')
    .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
    .select(columns)
    .orderBy('d.id', 'desc')
  if (f.endpointId !== undefined) q = q.where('d.endpoint_id', '=', f.endpointId)
  if (f.userId !== undefined) q = q.where('e.user_id', '=', f.userId)
  if (f.states !== undefined && f.states.length > 0) q = q.where('d.state', 'in', f.states)
  if (f.eventId !== undefined) q = q.where('d.event_id', '=', f.eventId)
  return q
}

/** An endpoint's delivery log, newest first. */
export async function listEndpointDeliveries(
  db: Db,
  input: {
    owner: EndpointOwner
    endpointId: string
    states?: readonly DeliveryState[]
    eventId?: string
    page: PageRequest
  },
) {
  const endpoint = await requireEndpoint(db, input.owner, input.endpointId)
  const { rows, meta } = await fetchPage(
    deliveriesQuery(db, { endpointId: endpoint.id, states: input.states, eventId: input.eventId }),
    input.page,
  )
  return { data: rows.map(deliveryView), meta }
}

/** Webhook deliveries of every endpoint (admin), by default those not delivered yet. */
export async function listAllDeliveries(
  db: Db,
  input: { userId?: string; endpointId?: string; states?: readonly DeliveryState[]; page: PageRequest },
) {
  const { rows, meta } = await fetchPage(
    deliveriesQuery(db, {
      userId: input.userId,
      endpointId: input.endpointId,
      states: input.states === undefined || input.states.length === 0 ? UNDELIVERED : input.states,
    }),
    input.page,
  )
  return { data: rows.map(deliveryView), meta }
}

/** One delivery with every attempt: status, latency, the receiver's answer. */
export async function getDelivery(db: Db, input: { owner: EndpointOwner; endpointId: string; deliveryId: string }) {
  const endpoint = await requireEndpoint(db, input.owner, input.endpointId)
  const row = await deliveriesQuery(db, { endpointId: endpoint.id })
    .where('d.id', '=', input.deliveryId)
    .executeTakeFirst()
  if (!row) throw notFound('webhook_delivery', input.deliveryId)
  const attempts = await db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('delivery_id', '=', row.id)
    .orderBy('attempt', 'asc')
    .execute()
  return {
    delivery: {
      ...deliveryView(row),
      attempt_log: attempts.map((a): WebhookAttemptView => ({
        attempt: a.attempt,
        started_at: a.started_at.toISOString(),
        latency_ms: a.latency_ms,
        outcome: a.outcome,
        status: a.status,
        error: a.error,
        response_excerpt: a.response_excerpt,
      })),
    },
  }
}
