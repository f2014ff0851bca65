import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { changeFtpPassword } from '../../../../domain/plesk/change-ftp-password.ts'
import { principalOf } from '../../../auth.ts'
import { withErrors } from '../../../schemas/common.ts'
import { FtpPasswordBody, PleskActionResponse } from './actions.schema.ts'

/** POST /API/plesk/ftp_password: queue a change of the subscription's FTP password; a job sets it at Plesk. */
export const ftpPasswordRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.post(
      '/API/plesk/ftp_password',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'pleskFtpPassword',
          tags: ['plesk'],
          summary:
            "Change the password of the subscription's main FTP user (never echoed); follow it in GET /API/plesk/actions",
          body: FtpPasswordBody,
          response: withErrors({ 202: PleskActionResponse }, [
            'validation_error',
            'not_found',
            'invalid_state',
            'action_pending',
          ]),
        },
      },
      async (req, reply) => {
        const action = await changeFtpPassword(deps, {
          principal: principalOf(req),
          requestId: req.id,
          userId: req.body.user_id,
          subscriptionId: req.body.subscription_id,
          password: req.body.password,
        })
        return reply.status(202).send({ success: true as const, action })
      },
    )
  }
