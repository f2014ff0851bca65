import { formatDateTime, parseApiDate } from '../../lib/dates.ts'
import { t } from '../../lib/i18n/index.ts'
import type { ManageVerdict } from './subscription-actions.ts'

const c = t.portal.pleskRefusals
const STATUS: Record<string, string> = t.portal.serverStatus
const NAMES: Record<string, string> = t.portal.pleskManage.names

export const pleskActionName = (action: string): string => NAMES[action] ?? action.replaceAll('_', ' ')

/** Why a subscription action is disabled, in words; null when it is allowed. */
export function manageRefusalText(v: ManageVerdict): string | null {
  if (v.allowed) return null
  switch (v.reason) {
    case 'status':
      return c.status({ status: STATUS[v.status] ?? v.status.replaceAll('_', ' ') })
    case 'actionPending':
      return c.actionPending({ action: pleskActionName(v.action), status: v.actionStatus })
    case 'cancelPending': {
      const d = parseApiDate(v.cancelAt)
      return c.cancelPending({ when: d === null ? v.cancelAt : formatDateTime(d) })
    }
    case 'orderPending':
      return c.orderPending({ number: v.orderNumber })
  }
}
