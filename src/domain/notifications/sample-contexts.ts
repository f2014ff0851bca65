/**
 * One made-up context per event type, typed against EventPayloads so the compiler keeps them in
 * step with the catalog: the template tests render every mail with them, and `checkMailTemplates`
 * renders an operator's override directory with them at start-up. Nullable members are filled
 * (a section around them is then checked too); `SAMPLE_CONTEXTS_SPARSE` has them null.
 */
import type { EventType, OrderRef, ServiceRef } from '../events/catalog.ts'
import type { MailContext } from './render-mail.ts'

const customer = { email: 'ann@example.com' }
const at = (type: string): MailContext<EventType>['event'] => ({
  id: `evt_sample_${type.replace(/\W/g, '_')}`,
  occurred_at: '2026-12-01T09:30:00.000Z',
})

const server: ServiceRef = {
  kind: 'server',
  id: 'srv_01J9Z8SAMPLE',
  name: 'web1.example.com',
  expires_at: '2026-12-08T09:30:00.000Z',
}
const plesk: ServiceRef = {
  kind: 'plesk_subscription',
  id: 'psub_01J9Z8SAMPLE',
  name: 'shop.example.org',
  expires_at: '2027-01-01T00:00:00.000Z',
}
const order: OrderRef = {
  id: 'ord_01J9Z8SAMPLE',
  number: 'OX-2026-000123',
  type: 'new_server',
  amount: '12.99',
  payment_method: 'balance',
}
const cryptoOrder: OrderRef = { ...order, payment_method: 'crypto', type: 'plesk', amount: '7.50' }
const payment = {
  id: 'pay_01J9Z8SAMPLE',
  track_id: '184467440',
  amount: '25.00',
  currency: 'EUR',
  order_id: 'ord_01J9Z8SAMPLE',
}

export const SAMPLE_CONTEXTS: { [T in EventType]: MailContext<T> } = {
  'order.created': { event: at('order.created'), customer, data: { order, service: server } },
  'order.completed': { event: at('order.completed'), customer, data: { order, service: server } },
  'order.failed': {
    event: at('order.failed'),
    customer,
    data: { order, service: server, reason: 'The data centre had no capacity for this plan.' },
  },
  'order.refunded': {
    event: at('order.refunded'),
    customer,
    data: { order, refunded: '12.99', balance: '40.00' },
  },
  'order.cancelled': {
    event: at('order.cancelled'),
    customer,
    data: { order: cryptoOrder, reason: 'The invoice expired before it was paid.' },
  },
  'service.provisioned': { event: at('service.provisioned'), customer, data: { service: server, order } },
  'service.renewed': {
    event: at('service.renewed'),
    customer,
    data: { service: plesk, order: { ...order, type: 'plesk_renew', amount: '7.50' } },
  },
  'service.expiring': {
    event: at('service.expiring'),
    customer,
    data: { service: server, days_left: 3, auto_renew: false, renewal_price: '12.99', balance: '5.00' },
  },
  'service.suspended': {
    event: at('service.suspended'),
    customer,
    data: { service: server, reason: 'The renewal was not paid.' },
  },
  'service.resumed': { event: at('service.resumed'), customer, data: { service: server } },
  'service.terminated': {
    event: at('service.terminated'),
    customer,
    data: { service: server, reason: 'It stayed suspended for 14 days.' },
  },
  'service.cancelled': {
    event: at('service.cancelled'),
    customer,
    data: { service: plesk, effective: 'end_of_term' },
  },
  'payment.received': { event: at('payment.received'), customer, data: { payment, credited: '25.00' } },
  'payment.flagged': {
    event: at('payment.flagged'),
    customer,
    data: { payment, reason: 'The amount paid was less than the invoice.' },
  },
  'balance.low': {
    event: at('balance.low'),
    customer,
    data: { balance: '3.10', needed: '12.99', service: server },
  },
  'webhook_endpoint.disabled': {
    event: at('webhook_endpoint.disabled'),
    customer,
    data: {
      endpoint: { id: 'whe_01J9Z8SAMPLE', url: 'https://hooks.example.com/oxbill' },
      failing_since: '2026-11-28T09:30:00.000Z',
      reason: 'Every delivery for 3 days failed (HTTP 503).',
    },
  },
}

/** The same events with every nullable member null and the other branches taken. */
export const SAMPLE_CONTEXTS_SPARSE: { [T in EventType]: MailContext<T> } = {
  ...SAMPLE_CONTEXTS,
  'order.created': { event: at('order.created'), customer, data: { order: cryptoOrder, service: null } },
  'order.completed': { event: at('order.completed'), customer, data: { order, service: null } },
  'order.failed': { event: at('order.failed'), customer, data: { order, service: null, reason: 'Unknown.' } },
  'service.provisioned': {
    event: at('service.provisioned'),
    customer,
    data: { service: { ...server, expires_at: null }, order: null },
  },
  'service.renewed': { event: at('service.renewed'), customer, data: { service: server, order: null } },
  'service.expiring': {
    event: at('service.expiring'),
    customer,
    data: { service: server, days_left: 1, auto_renew: true, renewal_price: '12.99', balance: '20.00' },
  },
  'service.cancelled': { event: at('service.cancelled'), customer, data: { service: server, effective: 'now' } },
  'payment.received': {
    event: at('payment.received'),
    customer,
    data: { payment: { ...payment, track_id: null, order_id: null }, credited: '25.00' },
  },
  'payment.flagged': {
    event: at('payment.flagged'),
    customer,
    data: { payment: { ...payment, track_id: null, order_id: null }, reason: 'Paid twice.' },
  },
}
