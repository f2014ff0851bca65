import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useId, useRef, useState } from 'react'
import { serverKeys, usePowerAction, type PowerAction, type ServerAction } from '../../api/servers.ts'
import { t } from '../../lib/i18n/index.ts'
import { Alert, Button, DateTime, Dialog, ErrorAlert, Status, useToast } from '../../ui/index.ts'
import { LIVE_ACTION_STATUSES, type Verdict } from './server-actions.ts'
import { refusalText } from './refusal-text.ts'

const c = t.portal.power
const ACTIONS: readonly PowerAction[] = ['start', 'stop', 'shutdown', 'reboot']
const NAMES: Record<string, string> = c.names
const nameOf = (action: string): string => NAMES[action] ?? action

/**
 * Power actions (POST /API/servers/power): nothing changes on screen until the API has queued
 * the action; its progress then comes from GET /API/servers/actions, which the server page polls
 * while one is queued or running (STYLE-web rule 5). Everything but start asks first.
 */
export function PowerPanel({
  serverId,
  verdict,
  actions,
}: {
  serverId: string
  verdict: Verdict
  actions: readonly ServerAction[]
}) {
  const qc = useQueryClient()
  const toast = useToast()
  const reasonId = useId()
  const [asking, setAsking] = useState<PowerAction | null>(null)
  const power = usePowerAction({
    onSuccess: a => {
      setAsking(null)
      toast.success(c.queued({ action: nameOf(a.action) }))
    },
  })
  const latest = actions[0]
  const live = latest !== undefined && LIVE_ACTION_STATUSES.has(latest.status)
  // When an action ends the server's own state (power status) may have moved too.
  const wasLive = useRef(live)
  useEffect(() => {
    if (wasLive.current && !live) void qc.invalidateQueries({ queryKey: serverKeys.detail(serverId) })
    wasLive.current = live
  }, [live, qc, serverId])

  const reason = refusalText(verdict)
  const run = (action: PowerAction) => power.mutate({ server_id: serverId, action })
  return (
    <div className="power">
      <div className="actions" role="group" aria-label={c.groupLabel}>
        {ACTIONS.map(action => (
          <Button
            key={action}
            variant={action === 'start' ? 'primary' : 'secondary'}
            disabled={!verdict.allowed || power.isPending}
            aria-describedby={reason === null ? undefined : reasonId}
            pending={power.isPending && power.variables.action === action}
            pendingLabel={c.sending}
            onClick={() => (action === 'start' ? run(action) : setAsking(action))}
          >
            {c.names[action]}
          </Button>
        ))}
      </div>
      {reason !== null && (
        <p id={reasonId} className="field-hint">
          {reason}
        </p>
      )}
      {power.error !== null && asking === null && <ErrorAlert error={power.error} title={c.failed} />}
      {latest !== undefined && <ActionProgress action={latest} />}
      <Dialog
        open={asking !== null}
        onOpenChange={open => {
          if (!open) {
            setAsking(null)
            power.reset()
          }
        }}
        dismissable={!power.isPending}
        title={asking === null ? '' : c.confirmTitle({ action: c.names[asking] })}
        description={asking === null ? undefined : c.confirmBody[asking]}
        footer={
          asking !== null && (
            <Button
              variant={asking === 'reboot' ? 'primary' : 'danger'}
              pending={power.isPending}
              pendingLabel={c.sending}
              onClick={() => run(asking)}
            >
              {c.names[asking]}
            </Button>
          )
        }
      >
        {power.error !== null && <ErrorAlert error={power.error} title={c.failed} />}
      </Dialog>
    </div>
  )
}

function ActionProgress({ action }: { action: ServerAction }) {
  const name = nameOf(action.action)
  return (
    <div className="action-progress" aria-live="polite">
      <p>
        {c.latest({ action: name })} <Status status={action.status} /> <DateTime value={action.created_at} relative />
      </p>
      {action.status === 'failed' && (
        <Alert tone="error" title={c.actionFailed({ action: name })}>
          {action.error !== null && <p>{action.error}</p>}
        </Alert>
      )}
      {action.status === 'done' && action.finished_at !== null && (
        <p className="muted">
          {c.finished} <DateTime value={action.finished_at} />
        </p>
      )}
    </div>
  )
}
