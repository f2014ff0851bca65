import { useEffect, useId, useState } from 'react'
import { Link, NavLink, Outlet, ScrollRestoration, useLocation, useNavigate } from 'react-router'
import { useLogout } from '../api/auth.ts'
import { useSession } from '../api/session.ts'
import { t } from '../lib/i18n/index.ts'
import { Alert, Button, OfflineBanner } from '../ui/index.ts'
import { BrandMark, useApplyBranding } from './Brand.tsx'
import { chunkLoaded } from './RouteError.tsx'

/** Above both trees: branding, the offline banner, scroll restoration. */
export function RootLayout() {
  useEffect(chunkLoaded, [])
  return (
    <>
      <a className="skip-link" href="#main">
        {t.app.skipToContent}
      </a>
      <OfflineBanner />
      <Outlet />
      <ScrollRestoration />
    </>
  )
}

/** Login, signup and the e-mail links: the brand and a narrow column. */
export function PublicLayout() {
  const branding = useApplyBranding()
  return (
    <div className="shell shell-public">
      <header className="header">
        <div className="header-inner">
          <Link to="/login" className="header-brand">
            <BrandMark branding={branding} />
          </Link>
        </div>
      </header>
      <Outlet />
    </div>
  )
}

export const NAV = [
  { to: '/', label: t.nav.dashboard, end: true },
  { to: '/servers', label: t.nav.servers },
  { to: '/plesk', label: t.nav.plesk },
  { to: '/balance', label: t.nav.balance },
  { to: '/account', label: t.nav.account },
  { to: '/notifications', label: t.nav.notifications },
] as const

/** The customer portal: header with the brand, the main navigation and log out. */
export function PortalLayout() {
  const branding = useApplyBranding()
  const session = useSession()
  const navigate = useNavigate()
  const location = useLocation()
  const [menuOpen, setMenuOpen] = useState(false)
  const navId = useId()
  const logout = useLogout({ onSuccess: () => void navigate('/login', { replace: true }) })
  useEffect(() => setMenuOpen(false), [location.pathname])
  const user = session.data?.user
  return (
    <div className="shell">
      <header className="header">
        <div className="header-inner">
          <Link to="/" className="header-brand">
            <BrandMark branding={branding} />
          </Link>
          <button
            type="button"
            className="menu-toggle"
            aria-expanded={menuOpen}
            aria-controls={navId}
            onClick={() => setMenuOpen(o => !o)}
          >
            {t.app.menu}
          </button>
          <nav id={navId} aria-label={t.app.primaryNav} className={menuOpen ? 'nav nav-open' : 'nav'}>
            <ul>
              {NAV.map(item => (
                <li key={item.to}>
                  <NavLink to={item.to} end={'end' in item ? item.end : false}>
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
            <div className="nav-user">
              {user && <span className="nav-email">{t.app.signedInAs({ email: user.email })}</span>}
              <Button
                variant="secondary"
                className="btn-on-header"
                pending={logout.isPending}
                pendingLabel={t.app.loggingOut}
                onClick={() => logout.mutate()}
              >
                {t.app.logout}
              </Button>
            </div>
          </nav>
        </div>
      </header>
      {user && !user.email_verified && (
        <div className="banner">
          <Alert tone="info">{t.app.unverifiedEmail}</Alert>
        </div>
      )}
      <Outlet />
    </div>
  )
}
