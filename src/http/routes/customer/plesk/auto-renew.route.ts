import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { setSubscriptionAutoRenew } from '../../../../domain/plesk/set-subscription-auto-renew.ts'
import { autoRenewValue } from '../../../../domain/services/apply-auto-renew.ts'
import { principalOf } from '../../../auth.ts'
import { withErrors } from '../../../schemas/common.ts'
import { PleskAutoRenewBody, PleskAutoRenewResponse } from './actions.schema.ts'

/** POST /API/plesk/auto_renew: turn the auto-renew of a Plesk subscription on or off. */
export const pleskAutoRenewRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.post(
      '/API/plesk/auto_renew',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'pleskAutoRenew',
          tags: ['plesk'],
          summary: 'Turn the auto-renew of a Plesk subscription on or off (not on while a cancellation is pending)',
          body: PleskAutoRenewBody,
          response: withErrors({ 200: PleskAutoRenewResponse }, ['not_found', 'invalid_state']),
        },
      },
      async req => {
        await setSubscriptionAutoRenew(
          deps.db,
          {
            principal: principalOf(req),
            requestId: req.id,
            userId: req.body.user_id,
            subscriptionId: req.body.subscription_id,
            autoRenew: autoRenewValue(req.body.auto_renew),
          },
          deps.clock.now(),
        )
        return { success: true as const, message: 'Auto-renew updated successfully' }
      },
    )
  }
