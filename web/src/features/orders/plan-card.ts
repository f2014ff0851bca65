import type { VpsPlan } from '../../api/catalog.ts'
import { t } from '../../lib/i18n/index.ts'
import { formatGB, formatGiB } from '../servers/format.ts'
import type { RadioCard } from './RadioCards.tsx'

const c = t.portal.orderVps

/** A VPS plan as a priced choice: the new-server order and the change of plan. */
export function planCard(plan: VpsPlan): RadioCard {
  return {
    value: plan.id,
    title: plan.name,
    detail: c.specs({ vcpu: plan.specs.vcpu, ram: formatGiB(plan.specs.ram), disk: formatGB(plan.specs.disk) }),
    price: { value: plan.price, currency: plan.currency, suffix: c.perTerm },
  }
}
