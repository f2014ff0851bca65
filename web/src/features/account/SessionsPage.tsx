import { Page } from '../../ui/index.ts'

export function SessionsPage() {
  return <Page title="Sessions" />
}
