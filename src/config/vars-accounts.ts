import { Type } from 'typebox'
import { bool, envVar, int } from './define.ts'

/** Customer accounts and cookie sessions (issue 12; see `./schema.ts`). */
export const ACCOUNT_VARS = {
  SIGNUP_ENABLED: envVar({
    group: 'accounts',
    field: 'accounts.signupEnabled',
    type: bool,
    default: true,
    doc: 'customers may create their own account (`POST /API/auth/signup`); false answers 403 `signup_disabled` and leaves account creation to the operator',
  }),
  SESSION_IDLE_MINUTES: envVar({
    group: 'accounts',
    field: 'accounts.sessionIdleMinutes',
    type: int(1, 10_080),
    default: 60,
    doc: 'a portal session not used for this many minutes is ended',
  }),
  SESSION_ABSOLUTE_HOURS: envVar({
    group: 'accounts',
    field: 'accounts.sessionAbsoluteHours',
    type: int(1, 8760),
    default: 168,
    doc: 'a portal session ends this many hours after its login, used or not',
  }),
  SESSION_COOKIE_SECURE: envVar({
    group: 'accounts',
    field: 'accounts.sessionCookieSecure',
    type: Type.Union([Type.Literal('auto'), Type.Literal('true'), Type.Literal('false')]),
    default: 'auto' as const,
    must: 'be auto, true or false',
    doc: "the session cookie's Secure flag: `auto` sets it when the request came over HTTPS (directly, or through a proxy trusted by `TRUST_PROXY`)",
  }),
}
