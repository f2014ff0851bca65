// The accounts API (contracts/accounts.md) written in openapi-typescript's shape, for as long as
// the backend branch is not merged and schema.d.ts lacks it. Once `npm run gen:api` has picked
// the routes up, delete this file and the `& PendingPaths` in client.ts: tsc then checks every
// call against the real document. Only what the portal calls is declared.

type Json<T> = { headers: { [name: string]: unknown }; content: { 'application/json': T } }
type Params<P> = [P] extends [undefined]
  ? { query?: never; header?: never; path?: never; cookie?: never }
  : { query?: never; header?: never; path: P; cookie?: never }
type Op<Body, Res, P = undefined> = {
  parameters: Params<P>
  responses: { 200: Json<Res>; 201: Json<Res>; 202: Json<Res> }
} & ([Body] extends [undefined] ? { requestBody?: never } : { requestBody: { content: { 'application/json': Body } } })
type NoMethods = {
  get?: never
  put?: never
  post?: never
  delete?: never
  options?: never
  head?: never
  patch?: never
  trace?: never
}
type Item<M extends object, P = undefined> = Omit<NoMethods, keyof M> & M & { parameters: Params<P> }

type Ok = { success: true }
export interface AuthUser {
  id: string
  email: string
  username: string
  email_verified: boolean
  totp_enabled: boolean
  created_at: string
}
export interface SessionInfo {
  id: string
  created_at: string
  last_seen_at: string
  expires_at: string
}
export interface SessionRow extends SessionInfo {
  ip: string | null
  user_agent: string | null
  current: boolean
}
export interface Billing {
  name: string | null
  company: string | null
  address_line1: string | null
  address_line2: string | null
  postal_code: string | null
  city: string | null
  country: string | null
  vat_id: string | null
}
export interface Profile {
  username: string
  email: string
  telegram: string | null
  billing: Billing
}
export interface KeyRow {
  id: string
  name: string
  prefix: string
  created_at: string
  last_used_at: string | null
  revoked_at: string | null
}
type Login = Ok & { user: AuthUser; csrf_token: string }
type Msg = Ok & { message: string }
type Codes = Ok & { recovery_codes: string[] }

export interface PendingPaths {
  '/API/auth/signup': Item<{ post: Op<{ email: string; password: string; username?: string }, Msg> }>
  '/API/auth/verify-email': Item<{ post: Op<{ token: string }, Login> }>
  '/API/auth/login': Item<{
    post: Op<{ email: string; password: string; totp_code?: string; recovery_code?: string }, Login>
  }>
  '/API/auth/password-reset': Item<{ post: Op<{ email: string }, Msg> }>
  '/API/auth/password-reset/confirm': Item<{ post: Op<{ token: string; password: string }, Ok> }>
  '/API/auth/session': Item<{
    get: Op<undefined, Ok & { user: AuthUser; csrf_token: string | null; session: SessionInfo | null }>
  }>
  '/API/auth/logout': Item<{ post: Op<undefined, Ok> }>
  '/API/auth/sessions': Item<{ get: Op<undefined, Ok & { sessions: SessionRow[] }> }>
  '/API/auth/sessions/{session_id}': Item<{ delete: Op<undefined, Ok, { session_id: string }> }, { session_id: string }>
  '/API/auth/sessions/revoke_all': Item<{ post: Op<{ keep_current?: boolean }, Ok & { revoked: number }> }>
  '/API/account/password': Item<{ post: Op<{ current_password: string; new_password: string }, Ok> }>
  '/API/account/2fa/setup': Item<{ post: Op<undefined, Ok & { secret: string; otpauth_uri: string; qr_svg: string }> }>
  '/API/account/2fa/enable': Item<{ post: Op<{ code: string }, Codes> }>
  '/API/account/2fa/disable': Item<{ post: Op<{ password: string; code: string }, Ok> }>
  '/API/account/2fa/recovery_codes': Item<{ post: Op<{ code: string }, Codes> }>
  '/API/account/profile': Item<{
    get: Op<undefined, Ok & { profile: Profile }>
    patch: Op<Partial<Omit<Profile, 'billing'>> & { billing?: Partial<Billing> }, Ok & { profile: Profile }>
  }>
  '/API/account/keys': Item<{
    get: Op<undefined, Ok & { keys: KeyRow[] }>
    post: Op<{ name: string }, Ok & { key: Omit<KeyRow, 'last_used_at' | 'revoked_at'>; api_key: string }>
  }>
  '/API/account/keys/{key_id}/revoke': Item<{ post: Op<undefined, Ok, { key_id: string }> }, { key_id: string }>
}
