import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../deps.ts'
import type { Config } from '../../../config.ts'
import { withErrors } from '../../schemas/common.ts'
import { BrandingResponse } from './branding.schema.ts'

/**
 * SIGNUP_ENABLED belongs to the accounts work (issue 12); until its Config field exists, signup is
 * open, as that variable's default is. Read without a cast so the route compiles either way.
 */
export function signupEnabled(config: Readonly<Config>): boolean {
  const c: object = config
  return 'signupEnabled' in c && typeof c.signupEnabled === 'boolean' ? c.signupEnabled : true
}

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
        signup_enabled: signupEnabled(deps.config),
      }),
    )
  }
