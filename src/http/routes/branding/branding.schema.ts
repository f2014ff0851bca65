import { Type } from 'typebox'
import { Nullable, Success } from '../customer/shared.schema.ts'

/** GET /API/branding: what the portal shows before anyone logs in (BRAND_* configuration). */
export const BrandingResponse = Type.Object(
  {
    success: Success,
    name: Type.String({ description: 'BRAND_NAME' }),
    logo_url: Nullable(Type.String({ description: 'BRAND_LOGO_URL: a same-origin path or an http(s) URL' })),
    primary_color: Type.String({ pattern: '^#[0-9a-f]{6}$', description: 'BRAND_PRIMARY_COLOR, #rrggbb' }),
    accent_color: Type.String({ pattern: '^#[0-9a-f]{6}$', description: 'BRAND_ACCENT_COLOR, #rrggbb' }),
    signup_enabled: Type.Boolean({ description: 'whether POST /API/auth/signup takes new accounts (SIGNUP_ENABLED)' }),
  },
  { additionalProperties: false },
)
