import { Page } from '../../ui/index.ts'

export function KeysPage() {
  return <Page title="Keys" />
}
