/**
 * Where an event of GET /API/events leads in the portal, read from the objects it names
 * (`data.service`, `data.order`, `data.payment`; src/domain/events/catalog.ts). The payload is an
 * open object, so each field is checked rather than assumed.
 */
type Json = Record<string, unknown>
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null)

export function eventLink(data: Json): string | null {
  const service = data['service']
  if (isRecord(service)) {
    const id = str(service['id'])
    if (id !== null && service['kind'] === 'server') return `/servers/${encodeURIComponent(id)}`
    if (id !== null && service['kind'] === 'plesk_subscription') return `/plesk/subscriptions/${encodeURIComponent(id)}`
  }
  const order = data['order']
  if (isRecord(order)) {
    const id = str(order['id'])
    if (id !== null) return `/orders/${encodeURIComponent(id)}`
  }
  const payment = data['payment']
  if (isRecord(payment)) {
    const track = str(payment['track_id'])
    if (track !== null) return `/balance/invoices/${encodeURIComponent(track)}`
  }
  return null
}
