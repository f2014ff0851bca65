import { Navigate, Outlet, useLocation } from 'react-router'
import { useSession } from '../api/session.ts'
import { loginPathFor } from '../lib/next-path.ts'
import { Spinner } from '../ui/index.ts'

/** The portal's guard (STYLE-web rule 14): nobody logged in → /login?next=<this page>. Navigation, not security. */
export function RequireSession() {
  const session = useSession()
  const location = useLocation()
  if (session.isPending) return <Spinner />
  // A failure other than "not logged in" (the server is down) goes to the branch's error element.
  if (session.isError) throw session.error
  if (session.data === null) {
    return <Navigate to={loginPathFor(location.pathname, location.search, location.hash)} replace />
  }
  return <Outlet />
}
