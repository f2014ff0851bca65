import { t } from '../../lib/i18n/index.ts'

const LABELS: Record<string, string> = t.portal.orderTypes

/** The API's order type in words; an unknown type is shown as it came. */
export const orderTypeLabel = (type: string): string => LABELS[type] ?? type.replaceAll('_', ' ')
