import { useQuery } from '@tanstack/react-query'
import { useId, useState } from 'react'
import { cancelQuoteQuery, useCancelService, type CancelWhen } from '../../api/servers.ts'
import { t } from '../../lib/i18n/index.ts'
import {
  Button,
  Checkbox,
  DateTime,
  Dialog,
  ErrorAlert,
  GuardedButton,
  Money,
  Skeleton,
  useToast,
} from '../../ui/index.ts'

const c = t.portal.cancel

export interface CancelChoices {
  /** Why each choice is refused now; null: allowed. */
  endOfTerm: string | null
  immediate: string | null
}

/**
 * Cancelling a server, a Plesk subscription or a server addon: at the end of the term or now.
 * Before the customer confirms, the API says what would happen (POST /API/services/cancel/quote,
 * which changes nothing): when it ends and whether unused paid time is refunded; the UI does no
 * arithmetic of its own (STYLE-web rule 7). Terminating now deletes the data, so it also needs an
 * explicit "I understand". Nothing changes on the page until the API has answered.
 */
export function CancelDialog({
  serviceId,
  serverId,
  title,
  openLabel,
  choices,
  invalidate,
}: {
  serviceId: string
  /** For an addon: its server, whose lists are refreshed. */
  serverId?: string
  title: string
  openLabel: string
  choices: CancelChoices
  invalidate?: (serviceId: string) => Promise<unknown>
}) {
  const toast = useToast()
  const [open, setOpen] = useState(false)
  const [when, setWhen] = useState<CancelWhen>('end_of_term')
  const [understood, setUnderstood] = useState(false)
  const cancel = useCancelService({
    ...(invalidate === undefined ? {} : { invalidate }),
    onSuccess: (_d, v) => {
      setOpen(false)
      toast.success(v.when === 'immediate' ? c.doneNow : c.doneEnd)
    },
  })
  const quote = useQuery({ ...cancelQuoteQuery(serviceId, when), enabled: open })
  const refusedBoth = choices.endOfTerm !== null && choices.immediate !== null
  const name = useId()
  const refused = when === 'immediate' ? choices.immediate : choices.endOfTerm
  return (
    <>
      <GuardedButton
        variant="danger"
        reason={refusedBoth ? choices.endOfTerm : null}
        onClick={() => {
          cancel.reset()
          setUnderstood(false)
          setWhen(choices.endOfTerm === null ? 'end_of_term' : 'immediate')
          setOpen(true)
        }}
      >
        {openLabel}
      </GuardedButton>
      <Dialog
        open={open}
        onOpenChange={o => {
          setOpen(o)
          if (!o) cancel.reset()
        }}
        dismissable={!cancel.isPending}
        title={title}
        footer={
          <Button
            variant="danger"
            disabled={refused !== null || (when === 'immediate' && !understood) || !quote.isSuccess}
            pending={cancel.isPending}
            pendingLabel={c.saving}
            onClick={() =>
              cancel.mutate({
                service_id: serviceId,
                undo: false,
                when,
                ...(serverId === undefined ? {} : { server_id: serverId }),
              })
            }
          >
            {when === 'immediate' ? c.confirmNow : c.confirmEnd}
          </Button>
        }
      >
        <fieldset className="choices">
          <legend>{c.when}</legend>
          <Choice
            name={name}
            value="end_of_term"
            checked={when === 'end_of_term'}
            onPick={setWhen}
            title={c.endOfTerm}
            hint={choices.endOfTerm ?? c.endOfTermHint}
            disabled={choices.endOfTerm !== null}
          />
          <Choice
            name={name}
            value="immediate"
            checked={when === 'immediate'}
            onPick={setWhen}
            title={c.immediate}
            hint={choices.immediate ?? c.immediateHint}
            disabled={choices.immediate !== null}
          />
        </fieldset>
        <section aria-label={c.preview} aria-live="polite" aria-busy={quote.isFetching || undefined}>
          {quote.isError ? (
            <ErrorAlert error={quote.error} />
          ) : !quote.isSuccess ? (
            <Skeleton lines={2} />
          ) : (
            <dl className="facts">
              <div>
                <dt>{c.effective}</dt>
                <dd>
                  <DateTime value={quote.data.effective_at} relative />
                </dd>
              </div>
              <div>
                <dt>{c.refund}</dt>
                <dd>
                  {quote.data.refund === null ? (
                    c.noRefund
                  ) : (
                    <>
                      <Money value={quote.data.refund} /> {c.refundCredited}
                    </>
                  )}
                </dd>
              </div>
            </dl>
          )}
        </section>
        {when === 'immediate' && (
          <Checkbox label={c.understand} checked={understood} onChange={e => setUnderstood(e.target.checked)} />
        )}
        {cancel.error !== null && <ErrorAlert error={cancel.error} />}
      </Dialog>
    </>
  )
}

function Choice({
  name,
  value,
  checked,
  onPick,
  title,
  hint,
  disabled,
}: {
  name: string
  value: CancelWhen
  checked: boolean
  onPick: (w: CancelWhen) => void
  title: string
  hint: string
  disabled: boolean
}) {
  const hintId = useId()
  return (
    <label className="choice">
      <input
        type="radio"
        name={name}
        value={value}
        checked={checked}
        disabled={disabled}
        aria-describedby={hintId}
        onChange={() => onPick(value)}
      />{' '}
      <span className="choice-title">{title}</span>
      <span id={hintId} className="choice-detail">
        {hint}
      </span>
    </label>
  )
}
