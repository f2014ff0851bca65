import { useQueryClient } from '@tanstack/react-query'
import { useSyncExternalStore } from 'react'
import { isApiError } from '../api/errors.ts'
import { t } from '../lib/i18n/index.ts'

/**
 * Shown while the browser is offline or a query is retrying after a network failure (STYLE-web
 * rule 15); it goes away by itself when a retry gets through.
 */
export function OfflineBanner() {
  const client = useQueryClient()
  const cache = client.getQueryCache()
  const offline = useSyncExternalStore(
    notify => {
      const unsubscribe = cache.subscribe(notify)
      window.addEventListener('online', notify)
      window.addEventListener('offline', notify)
      return () => {
        unsubscribe()
        window.removeEventListener('online', notify)
        window.removeEventListener('offline', notify)
      }
    },
    () =>
      !navigator.onLine ||
      cache
        .getAll()
        .some(
          q =>
            q.state.fetchStatus !== 'idle' &&
            isApiError(q.state.fetchFailureReason) &&
            q.state.fetchFailureReason.isNetwork,
        ),
  )
  if (!offline) return null
  return (
    <div className="offline-banner" role="status">
      {t.app.offline}
    </div>
  )
}
