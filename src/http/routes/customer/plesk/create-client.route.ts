import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { createPleskClient } from '../../../../domain/plesk/create-plesk-client.ts'
import { orderMeta } from '../../../order-meta.ts'
import { IDEMPOTENT, withErrors } from '../../../schemas/common.ts'
import { CreateClientBody, CreateClientResponse } from './plesk.schema.ts'

/** POST /API/plesk/clients/create: create a Plesk client (and its Plesk customer) for the caller. */
export const createClientRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.post(
      '/API/plesk/clients/create',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'createPleskClient',
          tags: ['plesk'],
          summary: 'Create a Plesk client (and its Plesk customer) for the caller; honours Idempotency-Key',
          body: CreateClientBody,
          response: withErrors({ 200: CreateClientResponse }, ['not_found', 'conflict', ...IDEMPOTENT]),
        },
      },
      async req => {
        const b = req.body
        const body = await createPleskClient(deps, orderMeta(req), {
          userId: b.user_id,
          name: b.name,
          login: b.login,
          email: b.email,
          password: b.password,
          company: b.company,
        })
        return body
      },
    )
  }
