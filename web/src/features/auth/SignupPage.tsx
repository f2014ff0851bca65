import { Page } from '../../ui/index.ts'

export function SignupPage() {
  return <Page title="Signup" narrow />
}
