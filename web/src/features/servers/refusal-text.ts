import { t } from '../../lib/i18n/index.ts'
import { formatDateTime, parseApiDate } from '../../lib/dates.ts'
import type { Verdict } from './server-actions.ts'

const c = t.portal.refusals
const STATUS: Record<string, string> = t.portal.serverStatus
const ACTIONS: Record<string, string> = t.portal.power.names

const when = (iso: string) => {
  const d = parseApiDate(iso)
  return d === null ? iso : formatDateTime(d)
}

/** Why an action is disabled, in words; null when it is allowed. */
export function refusalText(v: Verdict): string | null {
  if (v.allowed) return null
  switch (v.reason) {
    case 'status':
      return c.status({ status: STATUS[v.status] ?? v.status.replaceAll('_', ' ') })
    case 'actionPending':
      return c.actionPending({ action: ACTIONS[v.action] ?? v.action, status: v.actionStatus })
    case 'orderPending':
      return c.orderPending({ number: v.orderNumber })
    case 'cancelPending':
      return c.cancelPending({ when: when(v.cancelAt) })
    case 'notCancelled':
      return c.notCancelled
    case 'cancelEffective':
      return c.cancelEffective
    case 'notStarted':
      return c.notStarted
  }
}
