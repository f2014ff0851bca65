import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { disableTotp } from '../../../../domain/accounts/disable-totp.ts'
import { enableTotp } from '../../../../domain/accounts/enable-totp.ts'
import { regenerateRecoveryCodes } from '../../../../domain/accounts/regenerate-recovery-codes.ts'
import { setupTotp } from '../../../../domain/accounts/setup-totp.ts'
import { principalOf } from '../../../auth.ts'
import { clientAddress } from '../../../rate-limit.ts'
import { withErrors } from '../../../schemas/common.ts'
import { CodeBody, DisableTotpBody, NoQuery, Ok, RecoveryCodesResponse, TotpSetupResponse } from './settings.schema.ts'

/** Two-factor authentication (TOTP) and its recovery codes. */
export const twoFactorRoutes =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.post(
      '/API/account/2fa/setup',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'setupTotp',
          tags: ['account'],
          summary: 'Start 2FA setup: a new secret with its otpauth URI and QR code (confirm with /2fa/enable)',
          querystring: NoQuery,
          response: withErrors({ 200: TotpSetupResponse }, ['invalid_state']),
        },
      },
      async req => ({ success: true as const, ...(await setupTotp(deps, { principal: principalOf(req) })) }),
    )

    app.post(
      '/API/account/2fa/enable',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'enableTotp',
          tags: ['account'],
          summary: 'Turn 2FA on with a code from the new secret; answers the 10 recovery codes, once',
          querystring: NoQuery,
          body: CodeBody,
          response: withErrors({ 200: RecoveryCodesResponse }, ['invalid_totp', 'invalid_state']),
        },
      },
      async req => ({
        success: true as const,
        ...(await enableTotp(deps, { principal: principalOf(req), code: req.body.code })),
      }),
    )

    app.post(
      '/API/account/2fa/disable',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'disableTotp',
          tags: ['account'],
          summary: 'Turn 2FA off (password and a TOTP or recovery code)',
          querystring: NoQuery,
          body: DisableTotpBody,
          response: withErrors({ 200: Ok }, [
            'invalid_credentials',
            'invalid_totp',
            'invalid_state',
            'too_many_attempts',
          ]),
        },
      },
      async req => {
        await disableTotp(deps, {
          principal: principalOf(req),
          password: req.body.password,
          code: req.body.code,
          clientAddress: clientAddress(req.ip),
        })
        return { success: true as const }
      },
    )

    app.post(
      '/API/account/2fa/recovery_codes',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'regenerateRecoveryCodes',
          tags: ['account'],
          summary: 'New recovery codes (a TOTP or recovery code is needed); the old ones stop working',
          querystring: NoQuery,
          body: CodeBody,
          response: withErrors({ 200: RecoveryCodesResponse }, ['invalid_totp', 'invalid_state', 'too_many_attempts']),
        },
      },
      async req => ({
        success: true as const,
        ...(await regenerateRecoveryCodes(deps, {
          principal: principalOf(req),
          code: req.body.code,
          clientAddress: clientAddress(req.ip),
        })),
      }),
    )
  }
