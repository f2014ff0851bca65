import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import {
  useChangePassword,
  useRegenerateRecoveryCodes,
  useTotpDisable,
  useTotpEnable,
  useTotpSetup,
  type TotpSetup,
} from '../../api/account.ts'
import { isApiError } from '../../api/errors.ts'
import { useSession } from '../../api/session.ts'
import { t } from '../../lib/i18n/index.ts'
import {
  Alert,
  Button,
  Checkbox,
  CopyButton,
  ErrorAlert,
  Section,
  Skeleton,
  TextInput,
  useServerErrors,
  useToast,
} from '../../ui/index.ts'
import {
  changePasswordSchema,
  totpConfirmSchema,
  totpDisableBody,
  totpDisableSchema,
  type ChangePasswordBody,
  type ChangePasswordForm,
  type TotpConfirmForm,
  type TotpDisableForm,
} from './account.schema.ts'

export function SecurityPage() {
  return (
    <>
      <ChangePasswordSection />
      <TwoFactorSection />
    </>
  )
}

function ChangePasswordSection() {
  const toast = useToast()
  const { register, handleSubmit, setError, reset, formState } = useForm<
    ChangePasswordForm,
    unknown,
    ChangePasswordBody
  >({
    resolver: zodResolver(changePasswordSchema),
    defaultValues: { current_password: '', new_password: '', confirm: '' },
  })
  const server = useServerErrors(setError, ['current_password', 'new_password'], { password: 'new_password' })
  const change = useChangePassword({
    onSuccess: () => {
      reset()
      toast.success(t.account.passwordChanged)
    },
    onError: e => {
      // 401 invalid_credentials: the current password was wrong; it names no field.
      if (isApiError(e) && e.code === 'invalid_credentials') {
        setError('current_password', { type: 'server', message: e.message }, { shouldFocus: true })
        return
      }
      server.handle(e)
    },
  })
  const submit = handleSubmit(body => {
    server.clear()
    change.mutate(body)
  })
  return (
    <Section title={t.account.passwordTitle}>
      <form className="form" onSubmit={e => void submit(e)} noValidate>
        {server.formError !== null && <ErrorAlert error={server.formError} />}
        <TextInput
          label={t.account.currentPassword}
          type="password"
          autoComplete="current-password"
          required
          error={formState.errors.current_password?.message}
          {...register('current_password')}
        />
        <TextInput
          label={t.auth.newPassword}
          hint={t.auth.passwordHint}
          type="password"
          autoComplete="new-password"
          required
          error={formState.errors.new_password?.message}
          {...register('new_password')}
        />
        <TextInput
          label={t.auth.confirmPassword}
          type="password"
          autoComplete="new-password"
          required
          error={formState.errors.confirm?.message}
          {...register('confirm')}
        />
        <div className="actions">
          <Button type="submit" disabled={!formState.isDirty} pending={change.isPending} pendingLabel={t.form.saving}>
            {t.account.passwordTitle}
          </Button>
        </div>
      </form>
    </Section>
  )
}

/**
 * 2FA off: "set up" → QR code and secret → a code from the app turns it on → the recovery codes,
 * shown once, until the user says they saved them. 2FA on: new recovery codes, or turn it off.
 */
function TwoFactorSection() {
  const session = useSession()
  const [codes, setCodes] = useState<string[] | null>(null)
  const enabled = session.data?.user.totp_enabled === true
  return (
    <Section title={t.account.twoFactorTitle}>
      {session.isPending ? (
        <Skeleton />
      ) : codes !== null ? (
        <RecoveryCodes codes={codes} onDone={() => setCodes(null)} />
      ) : enabled ? (
        <>
          <p>{t.account.twoFactorOn}</p>
          <RegenerateCodes onCodes={setCodes} />
          <DisableTwoFactor />
        </>
      ) : (
        <EnableTwoFactor onCodes={setCodes} />
      )}
    </Section>
  )
}

function EnableTwoFactor({ onCodes }: { onCodes: (codes: string[]) => void }) {
  const [pending, setPending] = useState<TotpSetup | null>(null)
  const setup = useTotpSetup({ onSuccess: setPending })
  if (pending === null) {
    return (
      <>
        <p>{t.account.twoFactorOff}</p>
        {setup.isError && <ErrorAlert error={setup.error} />}
        <Button pending={setup.isPending} onClick={() => setup.mutate()}>
          {t.account.twoFactorStart}
        </Button>
      </>
    )
  }
  return (
    <>
      <p>{t.account.twoFactorScan}</p>
      <img
        className="qr"
        src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(pending.qr_svg)}`}
        alt={t.account.twoFactorQrAlt}
      />
      <dl className="secret-list">
        <dt>{t.account.twoFactorSecret}</dt>
        <dd>
          <code className="secret">{pending.secret}</code>
        </dd>
      </dl>
      <CopyButton value={pending.secret} />
      <CodeForm submitLabel={t.account.twoFactorConfirm} useAction={useTotpEnable} onCodes={onCodes} />
    </>
  )
}

function RegenerateCodes({ onCodes }: { onCodes: (codes: string[]) => void }) {
  return (
    <div className="card">
      <h3>{t.account.recoveryRegenerate}</h3>
      <p className="field-hint">{t.account.recoveryRegenerateHint}</p>
      <CodeForm submitLabel={t.account.recoveryRegenerate} useAction={useRegenerateRecoveryCodes} onCodes={onCodes} />
    </div>
  )
}

/** One TOTP code → new recovery codes (enabling 2FA, or regenerating the codes). */
function CodeForm({
  submitLabel,
  useAction,
  onCodes,
}: {
  submitLabel: string
  useAction: typeof useTotpEnable
  onCodes: (codes: string[]) => void
}) {
  const { register, handleSubmit, setError, formState } = useForm<TotpConfirmForm, unknown, { code: string }>({
    resolver: zodResolver(totpConfirmSchema),
    defaultValues: { code: '' },
  })
  const server = useServerErrors(setError, ['code'])
  const action = useAction({
    onSuccess: onCodes,
    onError: e => {
      if (isApiError(e) && e.code === 'invalid_totp') {
        setError('code', { type: 'server', message: e.message }, { shouldFocus: true })
        return
      }
      server.handle(e)
    },
  })
  const submit = handleSubmit(({ code }) => {
    server.clear()
    action.mutate(code)
  })
  return (
    <form className="form" onSubmit={e => void submit(e)} noValidate>
      {server.formError !== null && <ErrorAlert error={server.formError} />}
      <TextInput
        label={t.auth.totpCode}
        hint={t.auth.totpHint}
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={7}
        required
        error={formState.errors.code?.message}
        {...register('code')}
      />
      <div className="actions">
        <Button type="submit" pending={action.isPending}>
          {submitLabel}
        </Button>
      </div>
    </form>
  )
}

/** Shown once: the codes, a copy button, and a confirmation before they go away. */
function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const [saved, setSaved] = useState(false)
  return (
    <>
      <Alert tone="success">
        <p>{t.account.twoFactorEnabled}</p>
      </Alert>
      <h3>{t.account.recoveryTitle}</h3>
      <Alert tone="warning">
        <p>{t.account.recoveryShownOnce}</p>
      </Alert>
      <ul className="codes" aria-label={t.account.recoveryTitle}>
        {codes.map(c => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <p className="actions">
        <CopyButton value={codes.join('\n')} />
      </p>
      <Checkbox label={t.account.recoverySaved} checked={saved} onChange={e => setSaved(e.target.checked)} />
      <div className="actions">
        <Button disabled={!saved} onClick={onDone}>
          {t.account.keyDone}
        </Button>
      </div>
    </>
  )
}

function DisableTwoFactor() {
  const toast = useToast()
  const { register, handleSubmit, setError, formState } = useForm<TotpDisableForm>({
    resolver: zodResolver(totpDisableSchema),
    defaultValues: { password: '', code: '' },
  })
  const server = useServerErrors(setError, ['password', 'code'])
  const disable = useTotpDisable({
    onSuccess: () => toast.success(t.account.twoFactorDisabled),
    onError: e => {
      if (isApiError(e)) {
        if (e.code === 'invalid_totp') return setError('code', { type: 'server', message: e.message })
        if (e.code === 'invalid_credentials') return setError('password', { type: 'server', message: e.message })
      }
      server.handle(e)
    },
  })
  const submit = handleSubmit(values => {
    server.clear()
    disable.mutate(totpDisableBody(values))
  })
  return (
    <div className="card">
      <h3>{t.account.twoFactorDisable}</h3>
      <p className="field-hint">{t.account.twoFactorDisableHint}</p>
      <form className="form" onSubmit={e => void submit(e)} noValidate>
        {server.formError !== null && <ErrorAlert error={server.formError} />}
        <TextInput
          label={t.auth.password}
          type="password"
          autoComplete="current-password"
          required
          error={formState.errors.password?.message}
          {...register('password')}
        />
        <TextInput
          label={t.account.twoFactorDisableCode}
          autoComplete="one-time-code"
          spellCheck={false}
          required
          error={formState.errors.code?.message}
          {...register('code')}
        />
        <div className="actions">
          <Button type="submit" variant="danger" pending={disable.isPending}>
            {t.account.twoFactorDisable}
          </Button>
        </div>
      </form>
    </div>
  )
}
