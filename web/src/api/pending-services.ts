// The routes of contracts/services.md (quote, power actions, cancellation) in openapi-typescript's
// shape, for as long as the backend branches are not merged and schema.d.ts lacks them. Once
// `npm run gen:api` has them, delete this file and its `& PendingServicesPaths` in client.ts and
// types.ts: tsc then checks every call against the real document.
import type { operations } from './schema.d.ts'

type Json<T> = { headers: { [name: string]: unknown }; content: { 'application/json': T } }
type NoMethods = {
  get?: never
  put?: never
  post?: never
  delete?: never
  options?: never
  head?: never
  patch?: never
  trace?: never
}
type NoParams = { query?: never; header?: never; path?: never; cookie?: never }
type Post<Body, Res, S extends number = 200> = {
  parameters: { query?: never; header?: { 'idempotency-key'?: string }; path?: never; cookie?: never }
  requestBody: { content: { 'application/json': Body } }
  responses: { [C in S]: Json<Res> }
}
type Get<Query, Res> = {
  parameters: { query: Query; header?: never; path?: never; cookie?: never }
  requestBody?: never
  responses: { 200: Json<Res> }
}
type Item<M extends object> = Omit<NoMethods, keyof M> & M & { parameters: NoParams }

type OrderBody<K extends keyof operations> = operations[K] extends {
  requestBody: { content: { 'application/json': infer B } }
}
  ? B
  : never

type QuoteBody =
  | { endpoint: 'create_order'; order: OrderBody<'createOrder'> }
  | { endpoint: 'create_order_addon'; order: OrderBody<'createOrderAddon'> }
  | { endpoint: 'create_order_plesk'; order: OrderBody<'createOrderPlesk'> }
  | { endpoint: 'create_order_scale_plesk'; order: OrderBody<'createOrderScalePlesk'> }

interface QuoteAnswer {
  success: true
  quote: {
    kind:
      'server_new' | 'server_change_plan' | 'server_extend' | 'addon' | 'plesk_new' | 'plesk_renew' | 'plesk_upgrade'
    amount: string
    currency: string
    upgrade_difference: string | null
    current_expiry: string | null
    new_expiry: string | null
    balance: string
    balance_sufficient: boolean
    lines: { description: string; amount: string }[]
  }
}

interface ServerActionRow {
  id: string
  server_id: string
  action: 'start' | 'stop' | 'shutdown' | 'reboot'
  status: 'queued' | 'running' | 'done' | 'failed'
  error: string | null
  created_at: string
  finished_at: string | null
}

export interface PendingServicesPaths {
  '/API/orders/quote': Item<{ post: Post<QuoteBody, QuoteAnswer> }>
  '/API/servers/power': Item<{
    post: Post<
      { server_id: string; action: ServerActionRow['action'] },
      { success: true; action: ServerActionRow },
      202
    >
  }>
  '/API/servers/actions': Item<{ get: Get<{ server_id: string }, { success: true; actions: ServerActionRow[] }> }>
  '/API/services/cancel': Item<{
    post: Post<
      { service_id: string; when: 'end_of_term' },
      {
        success: true
        cancellation: {
          service_id: string
          service_kind: 'server' | 'plesk'
          when: 'end_of_term'
          effective_at: string
        }
      }
    >
  }>
  '/API/services/cancel/undo': Item<{ post: Post<{ service_id: string }, { success: true }> }>
}

/** Fields services.md adds to server rows (list and detail); absent until the backend is merged. */
export interface PendingServerFields {
  cancel_at?: string | null
  power_status?: string | null
}
