import { Page } from '../../ui/index.ts'

export function LoginPage() {
  return <Page title="Login" narrow />
}
