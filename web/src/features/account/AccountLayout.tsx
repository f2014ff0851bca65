import { Outlet } from 'react-router'

export function AccountLayout() {
  return <Outlet />
}
