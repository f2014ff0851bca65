import { useSession } from '../../api/session.ts'
import { t } from '../../lib/i18n/index.ts'
import { Page } from '../../ui/index.ts'

export function DashboardPage() {
  const session = useSession()
  const name = session.data?.user.username ?? ''
  return (
    <Page title={t.dashboard.title}>
      <p>{t.dashboard.welcome({ name })}</p>
    </Page>
  )
}
