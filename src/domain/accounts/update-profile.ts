import { validation } from '../../lib/errors.ts'
import type { Principal } from '../auth/api-keys.ts'
import { profileView, type Profile } from './get-profile.ts'
import { normalizeEmail, ownUser, type AccountDeps } from './views.ts'

type Billing = Profile['billing']
export interface ProfilePatch {
  username?: string
  email?: string
  telegram?: string | null
  billing?: Partial<Billing>
}

const COLUMN: Record<keyof Billing, string> = {
  name: 'billing_name',
  company: 'billing_company',
  address_line1: 'billing_address_line1',
  address_line2: 'billing_address_line2',
  postal_code: 'billing_postal_code',
  city: 'billing_city',
  country: 'billing_country',
  vat_id: 'billing_vat_id',
}

/**
 * Updates the fields sent (the rest stays); an empty string or null clears an optional field.
 * The e-mail cannot be changed in this version: sending the current one is accepted (a form that
 * posts the whole profile back), another one is a 400.
 */
export async function updateProfile(
  deps: Pick<AccountDeps, 'db' | 'clock'>,
  input: { principal: Principal; patch: ProfilePatch },
): Promise<Profile> {
  const user = await ownUser(deps.db, input.principal.userId)
  const p = input.patch
  if (p.email !== undefined && normalizeEmail(p.email) !== user.email) {
    throw validation('the e-mail address cannot be changed here yet', 'email')
  }
  const set: Record<string, string | null | Date> = {}
  if (p.username !== undefined) {
    const name = p.username.trim()
    if (name === '') throw validation('username must not be empty', 'username')
    set.username = name
  }
  const clean = (v: string | null | undefined): string | null =>
    v === null || v === undefined ? null : v.trim() || null
  if (p.telegram !== undefined) set.telegram = clean(p.telegram)
  for (const [k, column] of Object.entries(COLUMN) as Array<[keyof Billing, string]>) {
    if (p.billing?.[k] !== undefined) set[column] = clean(p.billing[k])
  }
  if (typeof set.billing_country === 'string') {
    const c = set.billing_country.toUpperCase()
    if (!/^[A-Z]{2}$/.test(c)) throw validation('country must be an ISO 3166 alpha-2 code, e.g. DE', 'billing.country')
    set.billing_country = c
  }
  if (Object.keys(set).length === 0) return profileView(user)
  set.updated_at = deps.clock.now()
  const row = await deps.db
    .updateTable('users')
    .set(set)
    .where('id', '=', user.id)
    .returningAll()
    .executeTakeFirstOrThrow()
  return profileView(row)
}
