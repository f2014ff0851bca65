/**
 * The event types a customer can subscribe to. The generated schema has them only as a type, so
 * the list is written here and checked against it both ways: a type added to the API and missing
 * here, or one listed here that the API does not have, fails `tsc`.
 */
import type { components } from '../../api/schema.d.ts'

export type EventType = components['schemas']['WebhookEventType']

export const EVENT_TYPES = [
  'order.created',
  'order.completed',
  'order.failed',
  'order.refunded',
  'order.cancelled',
  'service.provisioned',
  'service.renewed',
  'service.expiring',
  'service.suspended',
  'service.resumed',
  'service.terminated',
  'service.cancelled',
  'payment.received',
  'payment.flagged',
  'balance.low',
  'webhook_endpoint.disabled',
] as const satisfies readonly EventType[]

type Missing = Exclude<EventType, (typeof EVENT_TYPES)[number]>
// Fails to compile when the API has an event type this list lacks.
export const allEventTypesListed: [Missing] extends [never] ? true : Missing = true
