import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../deps.ts'
import { withErrors } from '../../schemas/common.ts'
import { BrandingResponse } from './branding.schema.ts'

/** GET /API/branding: no key; the portal reads it before login to paint its header. */
export const brandingRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    const w = deps.config.web
    app.get(
      '/API/branding',
      {
        config: { auth: 'none' },
        schema: {
          operationId: 'getBranding',
          tags: ['branding'],
          summary: "The portal's name, logo, colours and whether signup is open (no API key)",
          response: withErrors({ 200: BrandingResponse }),
        },
      },
      async () => ({
        success: true as const,
        name: w.brandName,
        logo_url: w.brandLogoUrl ?? null,
        primary_color: w.brandPrimaryColor,
        accent_color: w.brandAccentColor,
        signup_enabled: deps.config.accounts.signupEnabled,
      }),
    )
  }
