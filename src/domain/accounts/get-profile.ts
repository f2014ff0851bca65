import type { User } from '../../db/schema.ts'
import type { Principal } from '../auth/api-keys.ts'
import { ownUser, type AccountDeps } from './views.ts'

export function profileView(u: User) {
  return {
    username: u.username,
    email: u.email,
    telegram: u.telegram,
    billing: {
      name: u.billing_name,
      company: u.billing_company,
      address_line1: u.billing_address_line1,
      address_line2: u.billing_address_line2,
      postal_code: u.billing_postal_code,
      city: u.billing_city,
      country: u.billing_country,
      vat_id: u.billing_vat_id,
    },
  }
}

export type Profile = ReturnType<typeof profileView>

/** The caller's profile and billing details (invoices, issue 14, will print them). */
export async function getProfile(deps: Pick<AccountDeps, 'db'>, input: { principal: Principal }): Promise<Profile> {
  return profileView(await ownUser(deps.db, input.principal.userId))
}
