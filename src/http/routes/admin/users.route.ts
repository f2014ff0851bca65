import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../deps.ts'
import { createCustomer } from '../../../domain/admin/create-customer.ts'
import { getUser } from '../../../domain/admin/get-user.ts'
import { listUsers } from '../../../domain/admin/list-users.ts'
import { setUserActive } from '../../../domain/admin/set-user-active.ts'
import { flag } from '../../../domain/admin/filters.ts'
import { pageOf } from '../../schemas/paging.ts'
import { adminMeta } from './meta.ts'
import { NoQuery, responses } from './common.schema.ts'
import {
  CreateUserBody,
  CreateUserResponse,
  ListUsersQuery,
  ListUsersResponse,
  UserParams,
  UserResponse,
  UserTransitionResponse,
} from './users.schema.ts'

const admin = { auth: 'admin' as const }
const tags = ['admin']

/** Users: create (with a first key shown once), read, list, deactivate and reactivate. */
export const adminUsersRoutes =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.post(
      '/API/admin/users',
      {
        config: admin,
        schema: {
          operationId: 'adminCreateUser',
          tags,
          summary: 'Create a user with an optional opening balance and a first API key (shown once)',
          body: CreateUserBody,
          querystring: NoQuery,
          response: responses({ 201: CreateUserResponse }, ['conflict']),
        },
      },
      async (req, reply) => {
        const res = await createCustomer(deps.db, adminMeta(req), req.body)
        return reply.code(201).send({ success: true, ...res })
      },
    )

    app.get(
      '/API/admin/users',
      {
        config: admin,
        schema: {
          operationId: 'adminListUsers',
          tags,
          summary: 'List users, newest first, by email and active state',
          querystring: ListUsersQuery,
          response: responses({ 200: ListUsersResponse }),
        },
      },
      async req => {
        const res = await listUsers(
          deps.db,
          { email: req.query.email, active: flag(req.query.active) },
          pageOf(req.query),
        )
        return { success: true, ...res }
      },
    )

    app.get(
      '/API/admin/users/:user_id',
      {
        config: admin,
        schema: {
          operationId: 'adminGetUser',
          tags,
          summary: 'A user with its balance',
          params: UserParams,
          querystring: NoQuery,
          response: responses({ 200: UserResponse }),
        },
      },
      async req => ({ success: true, user: await getUser(deps.db, req.params.user_id) }),
    )

    for (const active of [false, true]) {
      const verb = active ? 'reactivate' : 'deactivate'
      app.post(
        `/API/admin/users/:user_id/${verb}`,
        {
          config: admin,
          schema: {
            operationId: active ? 'adminReactivateUser' : 'adminDeactivateUser',
            tags,
            summary: active
              ? 'Reactivate a user: its keys work again'
              : 'Deactivate a user: all its keys get 401 from now on',
            params: UserParams,
            querystring: NoQuery,
            response: responses({ 200: UserTransitionResponse }, ['invalid_state']),
          },
        },
        async req => ({
          success: true,
          ...(await setUserActive(deps.db, adminMeta(req), { userId: req.params.user_id, active }, deps.clock.now())),
        }),
      )
    }
  }
