import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { setServerAutoRenew } from '../../../../domain/services/set-server-auto-renew.ts'
import { principalOf } from '../../../auth.ts'
import { withErrors } from '../../../schemas/common.ts'
import { AutoRenewBody, AutoRenewResponse } from './services.schema.ts'

/** POST /API/services/auto_renew: turn the auto-renew of a server on (1) or off (0). */
export const autoRenewRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.post(
      '/API/services/auto_renew',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'updateAutoRenew',
          tags: ['services'],
          summary: 'Turn the auto-renew of a server on (1) or off (0)',
          body: AutoRenewBody,
          response: withErrors({ 200: AutoRenewResponse }, ['not_found', 'invalid_state']),
        },
      },
      async req => {
        await setServerAutoRenew(
          deps.db,
          {
            principal: principalOf(req),
            requestId: req.id,
            userId: req.body.user_id,
            serverId: req.body.server_id,
            autoRenew: String(req.body.auto_renew) === '1',
          },
          deps.clock.now(),
        )
        return { success: true as const, message: 'Auto-renew updated successfully' }
      },
    )
  }
