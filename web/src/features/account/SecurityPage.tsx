import { Page } from '../../ui/index.ts'

export function SecurityPage() {
  return <Page title="Security" />
}
