import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { Link } from 'react-router'
import { usePasswordReset } from '../../api/auth.ts'
import { t } from '../../lib/i18n/index.ts'
import { Alert, Button, ErrorAlert, Page, TextInput, useServerErrors } from '../../ui/index.ts'
import { forgotSchema, type ForgotForm } from './auth.schema.ts'

/** Asks for a reset link. The API answers 202 whether or not the address has an account. */
export function ForgotPasswordPage() {
  const [done, setDone] = useState(false)
  const { register, handleSubmit, setError, formState } = useForm<ForgotForm, unknown, { email: string }>({
    resolver: zodResolver(forgotSchema),
    defaultValues: { email: '' },
  })
  const server = useServerErrors(setError, ['email'])
  const reset = usePasswordReset({ onSuccess: () => setDone(true), onError: e => server.handle(e) })
  const submit = handleSubmit(({ email }) => {
    server.clear()
    reset.mutate(email)
  })
  return (
    <Page title={t.auth.forgotTitle} narrow>
      {done ? (
        <Alert tone="success">
          <p>{t.auth.forgotDone}</p>
        </Alert>
      ) : (
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
          <div className="actions">
            <Button type="submit" pending={reset.isPending} pendingLabel={t.auth.forgotSending}>
              {t.auth.forgotSubmit}
            </Button>
          </div>
        </form>
      )}
      <p>
        <Link to="/login">{t.auth.backToLogin}</Link>
      </p>
    </Page>
  )
}
