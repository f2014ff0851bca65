import { Page } from '../../ui/index.ts'

export function ResetPasswordPage() {
  return <Page title="ResetPassword" narrow />
}
