import { Outlet } from 'react-router'
import { t } from '../../lib/i18n/index.ts'
import { Page, SubNav } from '../../ui/index.ts'

const SECTIONS = [
  { to: '/account', label: t.account.profileTab, end: true },
  { to: '/account/security', label: t.account.securityTab },
  { to: '/account/sessions', label: t.account.sessionsTab },
  { to: '/account/keys', label: t.account.keysTab },
]

/** /account and its sections; each section is its own URL (linkable, survives a reload). */
export function AccountLayout() {
  return (
    <Page title={t.account.title}>
      <SubNav label={t.account.tabs} items={SECTIONS} />
      <Outlet />
    </Page>
  )
}
