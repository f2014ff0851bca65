import { isRouteErrorResponse, Link, Navigate, useLocation, useRouteError } from 'react-router'
import { isApiError } from '../api/errors.ts'
import { t } from '../lib/i18n/index.ts'
import { loginPathFor } from '../lib/next-path.ts'
import { Button, ErrorAlert, Page, Reference } from '../ui/index.ts'

const RELOADED = 'oxbill:chunk-reloaded'

/** A lazy page's chunk failed to load: after a deploy the old hashed file is gone. */
function isChunkError(e: unknown): boolean {
  return (
    e instanceof Error &&
    /Failed to fetch dynamically imported module|Importing a module script failed|error loading dynamically imported module/i.test(
      e.message,
    )
  )
}

export function NotFoundPage() {
  return (
    <Page title={t.errors.notFoundTitle}>
      <p>{t.errors.notFoundBody}</p>
      <p>
        <Link to="/">{t.errors.goHome}</Link>
      </p>
    </Page>
  )
}

export function ForbiddenPage({ requestId }: { requestId?: string | undefined }) {
  return (
    <Page title={t.errors.forbiddenTitle}>
      <p>{t.errors.forbiddenBody}</p>
      <Reference id={requestId} />
      <p>
        <Link to="/">{t.errors.goHome}</Link>
      </p>
    </Page>
  )
}

/**
 * The error element of every route branch (STYLE-web rule 15): never a blank page. An API 404
 * (also another customer's object by URL) is the 404 page, a 403 the "not allowed" page, a 401
 * goes to login; anything else shows the API's message and request id as "Reference". A failed
 * chunk reloads the page once.
 */
export function RouteError() {
  const error = useRouteError()
  const location = useLocation()
  if (isChunkError(error) && sessionStorage.getItem(RELOADED) === null) {
    sessionStorage.setItem(RELOADED, '1')
    window.location.reload()
    return <p role="status">{t.errors.chunkReload}</p>
  }
  if ((isApiError(error) && error.status === 404) || (isRouteErrorResponse(error) && error.status === 404)) {
    return <NotFoundPage />
  }
  if (isApiError(error) && error.status === 403) return <ForbiddenPage requestId={error.requestId} />
  if (isApiError(error) && error.status === 401) {
    return <Navigate to={loginPathFor(location.pathname, location.search)} replace />
  }
  return (
    <Page title={t.errors.title}>
      <ErrorAlert error={error} />
      <p className="actions">
        <Button variant="secondary" onClick={() => window.location.reload()}>
          {t.errors.tryAgain}
        </Button>
        <Link to="/">{t.errors.goHome}</Link>
      </p>
    </Page>
  )
}

/** Once a page rendered, a later failed chunk may reload again. */
export function chunkLoaded(): void {
  sessionStorage.removeItem(RELOADED)
}
