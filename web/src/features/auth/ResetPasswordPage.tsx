import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { Link, useSearchParams } from 'react-router'
import { usePasswordResetConfirm } from '../../api/auth.ts'
import { t } from '../../lib/i18n/index.ts'
import { Alert, Button, ErrorAlert, Page, TextInput, useServerErrors } from '../../ui/index.ts'
import { resetBody, resetSchema, type ResetForm } from './auth.schema.ts'

/** The link from the reset mail: `?token=…` and a new password; every session is logged out. */
export function ResetPasswordPage() {
  const [params] = useSearchParams()
  const token = params.get('token') ?? ''
  const [done, setDone] = useState(false)
  const { register, handleSubmit, setError, formState } = useForm<ResetForm>({
    resolver: zodResolver(resetSchema),
    defaultValues: { password: '', confirm: '' },
  })
  const server = useServerErrors(setError, ['password'])
  const confirm = usePasswordResetConfirm({ onSuccess: () => setDone(true), onError: e => server.handle(e) })
  const submit = handleSubmit(values => {
    server.clear()
    confirm.mutate(resetBody(token, values))
  })
  return (
    <Page title={t.auth.resetTitle} narrow>
      {token === '' ? (
        <Alert tone="error">{t.auth.verifyMissingToken}</Alert>
      ) : done ? (
        <Alert tone="success">
          <p>{t.auth.resetDone}</p>
        </Alert>
      ) : (
        <form className="form" onSubmit={e => void submit(e)} noValidate>
          {server.formError !== null && <ErrorAlert error={server.formError} />}
          <TextInput
            label={t.auth.newPassword}
            hint={t.auth.passwordHint}
            type="password"
            autoComplete="new-password"
            required
            error={formState.errors.password?.message}
            {...register('password')}
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
            <Button type="submit" pending={confirm.isPending} pendingLabel={t.auth.resetSaving}>
              {t.auth.resetSubmit}
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
