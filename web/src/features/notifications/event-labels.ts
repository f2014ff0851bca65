import { t } from '../../lib/i18n/index.ts'

const LABELS: Record<string, string> = t.portal.eventTypes

/** The event types an endpoint receives, in words; none listed means every type. */
export const eventsSummary = (events: readonly string[]): string =>
  events.length === 0 ? t.portal.webhooks.allEventTypes : events.map(e => LABELS[e] ?? e).join(', ')
