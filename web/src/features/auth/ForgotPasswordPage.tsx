import { Page } from '../../ui/index.ts'

export function ForgotPasswordPage() {
  return <Page title="ForgotPassword" narrow />
}
