import { Type } from 'typebox'
import { Id } from '../../../schemas/common.ts'
import { Nullable, Success, Timestamp } from '../shared.schema.ts'

/** The account pages: profile and billing details, password, two-factor authentication, API keys. */

export const NoQuery = Type.Object({}, { additionalProperties: false })

const Text = (maxLength: number, description?: string) =>
  Type.String({ maxLength, ...(description !== undefined ? { description } : {}) })

const BillingFields = {
  name: Nullable(Text(200)),
  company: Nullable(Text(200)),
  address_line1: Nullable(Text(200)),
  address_line2: Nullable(Text(200)),
  postal_code: Nullable(Text(32)),
  city: Nullable(Text(100)),
  country: Nullable(Text(2, 'ISO 3166-1 alpha-2, e.g. DE')),
  vat_id: Nullable(Text(32)),
}

export const Profile = Type.Object(
  {
    username: Type.String(),
    email: Type.String(),
    telegram: Nullable(Type.String()),
    billing: Type.Object(BillingFields, { additionalProperties: false }),
  },
  { additionalProperties: false },
)

export const ProfileResponse = Type.Object({ success: Success, profile: Profile }, { additionalProperties: false })

export const ProfilePatchBody = Type.Object(
  {
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    email: Type.Optional(
      Type.String({ maxLength: 320, description: 'Only the current address (changing it: not yet)' }),
    ),
    telegram: Type.Optional(Nullable(Text(64))),
    billing: Type.Optional(
      Type.Object(
        Object.fromEntries(Object.entries(BillingFields).map(([k, v]) => [k, Type.Optional(v)])) as {
          [K in keyof typeof BillingFields]: ReturnType<typeof Type.Optional<(typeof BillingFields)[K]>>
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)

export const ChangePasswordBody = Type.Object(
  { current_password: Type.String({ maxLength: 4096 }), new_password: Type.String({ maxLength: 4096 }) },
  { additionalProperties: false },
)

export const Ok = Type.Object({ success: Success }, { additionalProperties: false })

export const TotpSetupResponse = Type.Object(
  {
    success: Success,
    secret: Type.String({ description: 'Base32, for entering by hand' }),
    otpauth_uri: Type.String(),
    qr_svg: Type.String({ description: 'The otpauth URI as an SVG QR code' }),
  },
  { additionalProperties: false },
)

export const CodeBody = Type.Object(
  {
    code: Type.String({
      minLength: 1,
      maxLength: 40,
      description: 'A code from the authenticator app (or a recovery code)',
    }),
  },
  { additionalProperties: false },
)

export const DisableTotpBody = Type.Object(
  {
    password: Type.String({ maxLength: 4096 }),
    code: Type.String({ minLength: 1, maxLength: 40, description: 'A TOTP code or an unused recovery code' }),
  },
  { additionalProperties: false },
)

export const RecoveryCodesResponse = Type.Object(
  {
    success: Success,
    recovery_codes: Type.Array(Type.String(), {
      minItems: 10,
      maxItems: 10,
      description: 'Shown once; each works once',
    }),
  },
  { additionalProperties: false },
)

const AccountKey = Type.Object(
  {
    id: Type.String(),
    name: Nullable(Type.String()),
    prefix: Type.String(),
    created_at: Timestamp(),
    last_used_at: Nullable(Timestamp()),
    revoked_at: Nullable(Timestamp()),
  },
  { additionalProperties: false },
)

export const KeysResponse = Type.Object(
  { success: Success, keys: Type.Array(AccountKey) },
  { additionalProperties: false },
)

export const CreateKeyBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
)

export const CreateKeyResponse = Type.Object(
  {
    success: Success,
    key: Type.Object(
      { id: Type.String(), name: Nullable(Type.String()), prefix: Type.String(), created_at: Timestamp() },
      { additionalProperties: false },
    ),
    api_key: Type.String({ description: 'The key itself (oxb_…): shown once, only its hash is kept' }),
  },
  { additionalProperties: false },
)

export const KeyParams = Type.Object({ key_id: Id('API key id (key_…)') }, { additionalProperties: false })

export const RevokeKeyResponse = Type.Object(
  { success: Success, key: AccountKey, changed: Type.Boolean() },
  { additionalProperties: false },
)
