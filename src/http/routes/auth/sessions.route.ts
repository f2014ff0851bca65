import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../deps.ts'
import { listSessions } from '../../../domain/accounts/list-sessions.ts'
import { revokeAllSessions } from '../../../domain/accounts/revoke-all-sessions.ts'
import { revokeSession } from '../../../domain/accounts/revoke-session.ts'
import { principalOf } from '../../auth.ts'
import { withErrors } from '../../schemas/common.ts'
import { NoQuery, Ok, RevokeAllBody, RevokedCount, SessionParams, SessionsResponse } from './auth.schema.ts'

/** The caller's sessions: list, end one, end all ("log out everywhere"). */
export const sessionsRoutes =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.get(
      '/API/auth/sessions',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'listSessions',
          tags: ['auth'],
          summary: "The caller's live sessions, newest first; `current` is the one making the request",
          querystring: NoQuery,
          response: withErrors({ 200: SessionsResponse }),
        },
      },
      async req => ({ success: true as const, sessions: await listSessions(deps, { principal: principalOf(req) }) }),
    )

    app.delete(
      '/API/auth/sessions/:session_id',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'revokeSession',
          tags: ['auth'],
          summary: 'End one of your sessions (404 for an unknown id or another user’s session)',
          params: SessionParams,
          querystring: NoQuery,
          response: withErrors({ 200: Ok }),
        },
      },
      async req => {
        await revokeSession(deps, { principal: principalOf(req), sessionId: req.params.session_id })
        return { success: true as const }
      },
    )

    app.post(
      '/API/auth/sessions/revoke_all',
      {
        config: { auth: 'key' },
        schema: {
          operationId: 'revokeAllSessions',
          tags: ['auth'],
          summary: 'Log out everywhere: end every live session (keep_current: all but this one)',
          querystring: NoQuery,
          body: RevokeAllBody,
          response: withErrors({ 200: RevokedCount }),
        },
      },
      async req => ({
        success: true as const,
        ...(await revokeAllSessions(deps, {
          principal: principalOf(req),
          keepCurrent: req.body.keep_current === true,
        })),
      }),
    )
  }
