import { useEffect } from 'react'
import { useBlocker } from 'react-router'
import { t } from '../lib/i18n/index.ts'

/**
 * Leaving a dirty form asks first (STYLE-web rule 9): in-app navigation through the router's
 * blocker, closing or reloading the tab through beforeunload.
 */
export function useUnsavedChangesPrompt(dirty: boolean): void {
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname,
  )
  useEffect(() => {
    if (blocker.state !== 'blocked') return
    if (window.confirm(t.form.leaveUnsaved)) blocker.proceed()
    else blocker.reset()
  }, [blocker])
  useEffect(() => {
    if (!dirty) return
    const onUnload = (e: BeforeUnloadEvent) => e.preventDefault()
    window.addEventListener('beforeunload', onUnload)
    return () => window.removeEventListener('beforeunload', onUnload)
  }, [dirty])
}
