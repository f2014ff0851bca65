import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../../deps.ts'
import { listAccountKeys } from '../../../../domain/accounts/account-keys.ts'
import { createAccountKey } from '../../../../domain/accounts/create-account-key.ts'
import { revokeAccountKey } from '../../../../domain/accounts/revoke-account-key.ts'
import { principalOf } from '../../../auth.ts'
import { withErrors } from '../../../schemas/common.ts'
import {
  CreateKeyBody,
  CreateKeyResponse,
  KeyParams,
  KeysResponse,
  NoQuery,
  RevokeKeyResponse,
} from './settings.schema.ts'

/** The caller's own API keys: list (no secrets), create (shown once), revoke. */
export const accountKeysRoutes =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.get(
      '/API/account/keys',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'listAccountKeys',
          tags: ['account'],
          summary: 'Your API keys, revoked ones included, without secrets',
          querystring: NoQuery,
          response: withErrors({ 200: KeysResponse }),
        },
      },
      async req => ({ success: true as const, keys: await listAccountKeys(deps.db, principalOf(req).userId) }),
    )

    app.post(
      '/API/account/keys',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'createAccountKey',
          tags: ['account'],
          summary: 'Create an API key; the key is in the answer once',
          querystring: NoQuery,
          body: CreateKeyBody,
          response: withErrors({ 201: CreateKeyResponse }, ['invalid_state']),
        },
      },
      async (req, reply) => {
        const res = await createAccountKey(deps, {
          principal: principalOf(req),
          name: req.body.name,
          requestId: req.id,
        })
        return reply.code(201).send({ success: true, ...res })
      },
    )

    app.post(
      '/API/account/keys/:key_id/revoke',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'revokeAccountKey',
          tags: ['account'],
          summary: 'Revoke one of your API keys: its next request gets 401',
          params: KeyParams,
          querystring: NoQuery,
          response: withErrors({ 200: RevokeKeyResponse }),
        },
      },
      async req => ({
        success: true as const,
        ...(await revokeAccountKey(deps, { principal: principalOf(req), keyId: req.params.key_id, requestId: req.id })),
      }),
    )
  }
