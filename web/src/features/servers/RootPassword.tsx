import { useState } from 'react'
import { useResetPassword, useRevealPassword, type ServerAction } from '../../api/servers.ts'
import { t } from '../../lib/i18n/index.ts'
import { Button, Dialog, ErrorAlert, GuardedButton, Secret } from '../../ui/index.ts'
import { refusalText } from './refusal-text.ts'
import { latestPasswordReset, type Verdict } from './server-actions.ts'

const c = t.portal.manage

/**
 * Root password reset, then its one showing. The reset is an action like power (polled through
 * the action list); once it is done the action says how the password travels: `password_ready`
 * (SolusVM answered it: sealed on the action until revealed here, once) or by e-mail.
 */
export function RootPassword({
  serverId,
  verdict,
  actions,
}: {
  serverId: string
  verdict: Verdict
  actions: readonly ServerAction[]
}) {
  const [asking, setAsking] = useState(false)
  const reset = useResetPassword({ onSuccess: () => setAsking(false) })
  const latest = latestPasswordReset(actions)
  return (
    <div className="manage-item">
      <GuardedButton
        variant="secondary"
        reason={refusalText(verdict)}
        onClick={() => {
          reset.reset()
          setAsking(true)
        }}
      >
        {c.resetPassword}
      </GuardedButton>
      {reset.error !== null && !asking && <ErrorAlert error={reset.error} />}
      {latest !== null && <Reveal serverId={serverId} action={latest} />}
      <Dialog
        open={asking}
        onOpenChange={o => {
          setAsking(o)
          if (!o) reset.reset()
        }}
        dismissable={!reset.isPending}
        title={c.resetTitle}
        description={c.resetBody}
        footer={
          <Button
            variant="danger"
            pending={reset.isPending}
            pendingLabel={c.sending}
            onClick={() => reset.mutate({ server_id: serverId })}
          >
            {c.resetConfirm}
          </Button>
        }
      >
        {reset.error !== null && <ErrorAlert error={reset.error} />}
      </Dialog>
    </div>
  )
}

/** What became of the newest finished reset: show it (once), or where it went. */
function Reveal({ serverId, action }: { serverId: string; action: ServerAction }) {
  const reveal = useRevealPassword()
  const [open, setOpen] = useState(false)
  const delivery = action.password_delivery ?? null
  if (action.status !== 'done') return null
  if (delivery === 'email') return <p className="field-hint">{c.revealEmail}</p>
  if (action.password_ready !== true && reveal.data === undefined && !open) {
    return delivery === 'shown' ? <p className="field-hint">{c.revealShown}</p> : null
  }
  return (
    <div aria-live="polite">
      <p>{c.revealReady}</p>
      <Button
        pending={reveal.isPending}
        pendingLabel={c.sending}
        onClick={() => {
          setOpen(true)
          reveal.mutate({ server_id: serverId, action_id: action.id })
        }}
      >
        {c.reveal}
      </Button>
      {reveal.error !== null && !open && <ErrorAlert error={reveal.error} />}
      <Dialog
        open={open}
        onOpenChange={o => {
          setOpen(o)
          // Closing forgets it: the API erased its copy when it answered.
          if (!o) reveal.reset()
        }}
        dismissable={!reveal.isPending}
        title={c.passwordTitle}
        description={c.passwordOnce}
      >
        {reveal.data !== undefined && <Secret label={c.passwordLabel} value={reveal.data} copyLabel={c.copyPassword} />}
        {reveal.error !== null && <ErrorAlert error={reveal.error} />}
      </Dialog>
    </div>
  )
}
