import { Type } from 'typebox'
import { Id } from '../../schemas/common.ts'
import { Nullable, Success, Timestamp } from '../customer/shared.schema.ts'

/** Signup, login, sessions, e-mail verification and password reset (docs/architecture.md, "Accounts"). */

export const NoQuery = Type.Object({}, { additionalProperties: false })

const Email = Type.String({ minLength: 1, maxLength: 320, description: 'E-mail address (case does not matter)' })
// The policy (10..256 characters, …) answers `weak_password` with the reason; the schema only bounds the size.
const Password = Type.String({ maxLength: 4096, description: '10 to 256 characters, not a common password' })
const Token = Type.String({ minLength: 1, maxLength: 200, description: 'The token of the mailed link' })

export const AccountUser = Type.Object(
  {
    id: Type.String(),
    email: Type.String(),
    username: Type.String(),
    email_verified: Type.Boolean(),
    totp_enabled: Type.Boolean(),
    created_at: Timestamp(),
  },
  { additionalProperties: false },
)

export const SignupBody = Type.Object(
  {
    email: Email,
    password: Password,
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
)

export const Accepted = Type.Object({ success: Success, message: Type.String() }, { additionalProperties: false })

export const VerifyEmailBody = Type.Object({ token: Token }, { additionalProperties: false })

export const SignedIn = Type.Object(
  {
    success: Success,
    user: AccountUser,
    csrf_token: Type.String({
      description: 'Send it as the x-csrf-token header on every write with the session cookie',
    }),
  },
  { additionalProperties: false },
)

export const LoginBody = Type.Object(
  {
    email: Email,
    password: Type.String({ maxLength: 4096 }),
    totp_code: Type.Optional(Type.String({ maxLength: 20, description: 'The authenticator app code (2FA on)' })),
    recovery_code: Type.Optional(
      Type.String({ maxLength: 40, description: 'A recovery code instead (each works once)' }),
    ),
  },
  { additionalProperties: false },
)

export const PasswordResetBody = Type.Object({ email: Email }, { additionalProperties: false })

export const PasswordResetConfirmBody = Type.Object(
  { token: Token, password: Password },
  { additionalProperties: false },
)

export const Ok = Type.Object({ success: Success }, { additionalProperties: false })

const SessionTimes = {
  id: Type.String(),
  created_at: Timestamp(),
  last_seen_at: Timestamp(),
  expires_at: Timestamp(),
}

export const SessionResponse = Type.Object(
  {
    success: Success,
    user: AccountUser,
    csrf_token: Nullable(Type.String()),
    session: Nullable(Type.Object(SessionTimes, { additionalProperties: false })),
  },
  { additionalProperties: false },
)

export const SessionsResponse = Type.Object(
  {
    success: Success,
    sessions: Type.Array(
      Type.Object(
        {
          ...SessionTimes,
          ip: Nullable(Type.String()),
          user_agent: Nullable(Type.String()),
          current: Type.Boolean(),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)

export const SessionParams = Type.Object({ session_id: Id('Session id (ses_…)') }, { additionalProperties: false })

export const RevokeAllBody = Type.Object(
  { keep_current: Type.Optional(Type.Boolean({ description: 'Keep the session making the request' })) },
  { additionalProperties: false },
)

export const RevokedCount = Type.Object({ success: Success, revoked: Type.Integer() }, { additionalProperties: false })
