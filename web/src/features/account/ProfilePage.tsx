import { Page } from '../../ui/index.ts'

export function ProfilePage() {
  return <Page title="Profile" />
}
