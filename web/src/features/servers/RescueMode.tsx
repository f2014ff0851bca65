import { useState } from 'react'
import { useRescue } from '../../api/servers.ts'
import { t } from '../../lib/i18n/index.ts'
import { Button, Dialog, ErrorAlert, GuardedButton, useToast } from '../../ui/index.ts'
import { refusalText } from './refusal-text.ts'
import type { Verdict } from './server-actions.ts'

const c = t.portal.manage

/**
 * Rescue mode on or off (each restarts the server, so it asks first). What the server boots from
 * is the API's live `boot_mode`; unknown (null) offers entering rescue mode, as leaving it then
 * does no harm either way but entering is what a customer in trouble looks for.
 */
export function RescueMode({
  serverId,
  bootMode,
  verdict,
}: {
  serverId: string
  bootMode: string | null
  verdict: Verdict
}) {
  const toast = useToast()
  const enable = bootMode !== 'rescue'
  const [asking, setAsking] = useState(false)
  const rescue = useRescue({
    onSuccess: a => {
      setAsking(false)
      toast.success(
        c.rescueQueued({ action: t.portal.power.names[a.action === 'rescue_off' ? 'rescue_off' : 'rescue_on'] }),
      )
    },
  })
  return (
    <div className="manage-item">
      <GuardedButton
        variant="secondary"
        reason={refusalText(verdict)}
        onClick={() => {
          rescue.reset()
          setAsking(true)
        }}
      >
        {enable ? c.rescueOn : c.rescueOff}
      </GuardedButton>
      {rescue.error !== null && !asking && <ErrorAlert error={rescue.error} />}
      <Dialog
        open={asking}
        onOpenChange={o => {
          setAsking(o)
          if (!o) rescue.reset()
        }}
        dismissable={!rescue.isPending}
        title={enable ? c.rescueOnTitle : c.rescueOffTitle}
        description={enable ? c.rescueOnBody : c.rescueOffBody}
        footer={
          <Button
            pending={rescue.isPending}
            pendingLabel={c.sending}
            onClick={() => rescue.mutate({ server_id: serverId, enabled: enable })}
          >
            {enable ? t.portal.power.names.rescue_on : t.portal.power.names.rescue_off}
          </Button>
        }
      >
        {rescue.error !== null && <ErrorAlert error={rescue.error} />}
      </Dialog>
    </div>
  )
}
