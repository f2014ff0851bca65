import { useEffect, useRef } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { useVerifyEmail } from '../../api/auth.ts'
import { t } from '../../lib/i18n/index.ts'
import { Alert, ErrorAlert, Page, Spinner, useToast } from '../../ui/index.ts'

/**
 * The link from the verification mail: `?token=…` is sent once (the token is single-use, so
 * StrictMode's second effect must not send it again); success logs in and opens the dashboard.
 */
export function VerifyEmailPage() {
  const [params] = useSearchParams()
  const token = params.get('token') ?? ''
  const navigate = useNavigate()
  const toast = useToast()
  const sent = useRef(false)
  const verify = useVerifyEmail({
    onSuccess: () => {
      toast.success(t.auth.verifyDone)
      void navigate('/', { replace: true })
    },
  })
  const { mutate } = verify
  useEffect(() => {
    if (token === '' || sent.current) return
    sent.current = true
    mutate(token)
  }, [token, mutate])

  return (
    <Page title={t.auth.verifyTitle} narrow>
      {token === '' ? (
        <Alert tone="error">{t.auth.verifyMissingToken}</Alert>
      ) : verify.isError ? (
        <ErrorAlert error={verify.error} title={t.auth.verifyFailed} />
      ) : (
        <Spinner label={t.auth.verifying} />
      )}
      <p>
        <Link to="/login">{t.auth.backToLogin}</Link>
      </p>
    </Page>
  )
}
