import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { Link } from 'react-router'
import { useSignup, type SignupBody } from '../../api/auth.ts'
import { useBranding } from '../../api/branding.ts'
import { t } from '../../lib/i18n/index.ts'
import { Alert, Button, ErrorAlert, Page, Spinner, TextInput, useServerErrors } from '../../ui/index.ts'
import { signupSchema, type SignupForm } from './auth.schema.ts'

/**
 * Signup. The answer is the same for a new and an already registered address (the owner gets a
 * mail instead), so the page only ever says "check your inbox". The password policy's reason
 * (400 weak_password, field `password`) appears under the password field.
 */
export function SignupPage() {
  const branding = useBranding()
  const [done, setDone] = useState<string | null>(null)
  const { register, handleSubmit, setError, formState } = useForm<SignupForm, unknown, SignupBody>({
    resolver: zodResolver(signupSchema),
    defaultValues: { email: '', password: '', username: '' },
  })
  const server = useServerErrors(setError, ['email', 'password', 'username'])
  const signup = useSignup({ onSuccess: r => setDone(r.message), onError: e => server.handle(e) })

  if (branding.isPending) return <Spinner />
  if (branding.data?.signup_enabled === false) {
    return (
      <Page title={t.auth.signupTitle} narrow>
        <Alert tone="info">{t.auth.signupDisabled}</Alert>
        <p>
          <Link to="/login">{t.auth.backToLogin}</Link>
        </p>
      </Page>
    )
  }
  if (done !== null) {
    return (
      <Page title={t.auth.signupDone} narrow>
        <Alert tone="success">
          <p>{done}</p>
        </Alert>
        <p>
          <Link to="/login">{t.auth.backToLogin}</Link>
        </p>
      </Page>
    )
  }
  const submit = handleSubmit(body => {
    server.clear()
    signup.mutate(body)
  })
  return (
    <Page title={t.auth.signupTitle} narrow>
      <form className="form" onSubmit={e => void submit(e)} noValidate>
        {server.formError !== null && <ErrorAlert error={server.formError} />}
        <TextInput
          label={t.auth.email}
          type="email"
          autoComplete="email"
          inputMode="email"
          required
          error={formState.errors.email?.message}
          {...register('email')}
        />
        <TextInput
          label={t.auth.password}
          hint={t.auth.passwordHint}
          type="password"
          autoComplete="new-password"
          required
          error={formState.errors.password?.message}
          {...register('password')}
        />
        <TextInput
          label={t.auth.username}
          hint={t.auth.usernameHint}
          optional
          autoComplete="nickname"
          spellCheck={false}
          error={formState.errors.username?.message}
          {...register('username')}
        />
        <div className="actions">
          <Button type="submit" pending={signup.isPending} pendingLabel={t.auth.signingUp}>
            {t.auth.signupSubmit}
          </Button>
        </div>
      </form>
      <p>
        {t.auth.haveAccount} <Link to="/login">{t.auth.loginLink}</Link>
      </p>
    </Page>
  )
}
