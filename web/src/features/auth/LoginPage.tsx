import { zodResolver } from '@hookform/resolvers/zod'
import { useEffect } from 'react'
import { useForm } from 'react-hook-form'
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router'
import { useLogin } from '../../api/auth.ts'
import { useBranding } from '../../api/branding.ts'
import { isApiError } from '../../api/errors.ts'
import { useSession } from '../../api/session.ts'
import { t } from '../../lib/i18n/index.ts'
import { safeNextPath } from '../../lib/next-path.ts'
import { Alert, Button, ErrorAlert, Page, Spinner, TextInput, useCountdown, useServerErrors } from '../../ui/index.ts'
import { loginSchema, type LoginForm, type LoginStep } from './auth.schema.ts'
import type { LoginBody } from '../../api/auth.ts'

/**
 * E-mail and password; when the account has 2FA the server answers 401 `totp_required` and the
 * form asks for the app's code (or a recovery code) and sends all again. A 429 shows the wait and
 * keeps the button off until it is over. After login: `next` if it is a path of this site.
 */
export function LoginPage() {
  const [params] = useSearchParams()
  const next = safeNextPath(params.get('next'))
  const navigate = useNavigate()
  const session = useSession()
  const branding = useBranding()
  const wait = useCountdown()
  const form = useForm<LoginForm, unknown, LoginBody>({
    resolver: zodResolver(loginSchema),
    defaultValues: { email: '', password: '', step: 'password', totp_code: '', recovery_code: '' },
  })
  const { register, handleSubmit, setError, setFocus, setValue, watch, formState, clearErrors } = form
  const step = watch('step')
  const setStep = (s: LoginStep) => {
    clearErrors(['totp_code', 'recovery_code'])
    setValue('step', s)
  }
  const server = useServerErrors(setError, ['email', 'password', 'totp_code', 'recovery_code'])
  const login = useLogin({
    onSuccess: () => void navigate(next, { replace: true }),
    onError: error => {
      if (!isApiError(error)) return server.handle(error)
      if (error.code === 'totp_required') {
        server.clear()
        if (step === 'password') setStep('totp')
        return
      }
      if (error.code === 'invalid_totp') {
        const field = step === 'recovery' ? 'recovery_code' : 'totp_code'
        setError(field, { type: 'server', message: error.message }, { shouldFocus: true })
        return
      }
      if (error.status === 429) wait.start(error.retryAfter ?? 60)
      server.handle(error)
    },
  })

  useEffect(() => {
    if (step === 'totp') setFocus('totp_code')
    if (step === 'recovery') setFocus('recovery_code')
  }, [step, setFocus])

  if (session.data) return <Navigate to={next} replace />
  if (session.isPending) return <Spinner />

  const submit = handleSubmit(body => {
    server.clear()
    login.mutate(body)
  })
  const throttled = wait.left > 0
  return (
    <Page title={t.auth.loginTitle} narrow>
      <form className="form" onSubmit={e => void submit(e)} noValidate>
        {step !== 'password' && <Alert tone="info">{t.auth.totpRequired}</Alert>}
        {server.formError !== null && <ErrorAlert error={server.formError} retryIn={wait.left} />}
        <TextInput
          label={t.auth.email}
          type="email"
          autoComplete="username"
          inputMode="email"
          required
          readOnly={step !== 'password'}
          error={formState.errors.email?.message}
          {...register('email')}
        />
        <TextInput
          label={t.auth.password}
          type="password"
          autoComplete="current-password"
          required
          readOnly={step !== 'password'}
          error={formState.errors.password?.message}
          {...register('password')}
        />
        {step === 'totp' && (
          <TextInput
            label={t.auth.totpCode}
            hint={t.auth.totpHint}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={7}
            required
            error={formState.errors.totp_code?.message}
            {...register('totp_code')}
          />
        )}
        {step === 'recovery' && (
          <TextInput
            label={t.auth.recoveryCode}
            hint={t.auth.recoveryHint}
            autoComplete="off"
            spellCheck={false}
            required
            error={formState.errors.recovery_code?.message}
            {...register('recovery_code')}
          />
        )}
        {step !== 'password' && (
          <Button variant="link" onClick={() => setStep(step === 'totp' ? 'recovery' : 'totp')}>
            {step === 'totp' ? t.auth.useRecoveryCode : t.auth.useTotpCode}
          </Button>
        )}
        <div className="actions">
          <Button type="submit" pending={login.isPending} pendingLabel={t.auth.loggingIn} disabled={throttled}>
            {t.auth.loginSubmit}
          </Button>
        </div>
      </form>
      <p>
        <Link to="/forgot-password">{t.auth.forgotPassword}</Link>
      </p>
      {branding.data?.signup_enabled !== false && (
        <p>
          {t.auth.noAccount} <Link to="/signup">{t.auth.signupLink}</Link>
        </p>
      )}
    </Page>
  )
}
