import { t } from '../../lib/i18n/index.ts'
import { Alert, CopyButton } from '../../ui/index.ts'

const c = t.portal.webhooks

/** A signing secret as the API gives it: in this one answer, never again. */
export function SecretOnce({ secret }: { secret: string }) {
  return (
    <Alert tone="warning" title={c.secretTitle}>
      <p>{c.secretOnce}</p>
      <p>
        <code className="break">{secret}</code> <CopyButton value={secret} label={c.copySecret} />
      </p>
    </Alert>
  )
}
