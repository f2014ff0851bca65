import { Page } from '../../ui/index.ts'

export function VerifyEmailPage() {
  return <Page title="VerifyEmail" narrow />
}
