import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../deps.ts'
import { issueUserKey } from '../../../domain/admin/issue-user-key.ts'
import { listUserKeys } from '../../../domain/admin/list-user-keys.ts'
import { revokeKey } from '../../../domain/admin/revoke-key.ts'
import { adminMeta } from './meta.ts'
import { NoQuery, responses } from './common.schema.ts'
import {
  IssueKeyBody,
  IssueKeyResponse,
  KeyParams,
  KeyTransitionResponse,
  ListKeysResponse,
  UserParams,
} from './users.schema.ts'

const admin = { auth: 'admin' as const }
const tags = ['admin']

/** API keys: issue (shown once), list without secrets, revoke. */
export const adminKeysRoutes =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.get(
      '/API/admin/users/:user_id/keys',
      {
        config: admin,
        schema: {
          operationId: 'adminListUserKeys',
          tags,
          summary: "A user's API keys, revoked ones included, without secrets",
          params: UserParams,
          querystring: NoQuery,
          response: responses({ 200: ListKeysResponse }),
        },
      },
      async req => ({ success: true, data: await listUserKeys(deps.db, req.params.user_id) }),
    )

    app.post(
      '/API/admin/users/:user_id/keys',
      {
        config: admin,
        schema: {
          operationId: 'adminIssueUserKey',
          tags,
          summary: 'Issue an API key for a user (scopes: admin, or none); the key is shown once',
          params: UserParams,
          body: IssueKeyBody,
          querystring: NoQuery,
          response: responses({ 201: IssueKeyResponse }),
        },
      },
      async (req, reply) => {
        const res = await issueUserKey(deps.db, adminMeta(req), {
          userId: req.params.user_id,
          scopes: req.body.scopes ?? [],
          name: req.body.name,
        })
        return reply.code(201).send({ success: true, ...res })
      },
    )

    app.post(
      '/API/admin/keys/:key_id/revoke',
      {
        config: admin,
        schema: {
          operationId: 'adminRevokeKey',
          tags,
          summary: 'Revoke an API key: its next request gets 401',
          params: KeyParams,
          querystring: NoQuery,
          response: responses({ 200: KeyTransitionResponse }, ['invalid_state']),
        },
      },
      async req => ({
        success: true,
        ...(await revokeKey(deps.db, adminMeta(req), req.params.key_id, deps.clock.now())),
      }),
    )
  }
