import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Deps } from '../../../deps.ts'
import { listOrders } from '../../../domain/admin/list-orders.ts'
import { listServers } from '../../../domain/admin/list-servers.ts'
import { listPleskSubscriptions } from '../../../domain/admin/list-plesk-subscriptions.ts'
import { listAuditLog } from '../../../domain/admin/list-audit-log.ts'
import { pageOf } from '../../schemas/paging.ts'
import { responses } from './common.schema.ts'
import {
  AuditQuery,
  AuditResponse,
  OrdersQuery,
  OrdersResponse,
  PleskSubscriptionsResponse,
  ServersResponse,
  ServicesQuery,
} from './overview.schema.ts'

const admin = { auth: 'admin' as const }
const tags = ['admin']

/** Read-only overviews: orders, servers, Plesk subscriptions, audit log. */
export const adminOverviewRoutes =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.get(
      '/API/admin/orders',
      {
        config: admin,
        schema: {
          operationId: 'adminListOrders',
          tags,
          summary: 'Orders, newest first, by user, type, status and creation time',
          querystring: OrdersQuery,
          response: responses({ 200: OrdersResponse }),
        },
      },
      async req => {
        const q = req.query
        return {
          success: true,
          ...(await listOrders(
            deps.db,
            { userId: q.user_id, type: q.type, status: q.status, from: q.from, to: q.to },
            pageOf(q),
          )),
        }
      },
    )

    app.get(
      '/API/admin/servers',
      {
        config: admin,
        schema: {
          operationId: 'adminListServers',
          tags,
          summary: 'Servers, newest first, by user and status',
          querystring: ServicesQuery,
          response: responses({ 200: ServersResponse }),
        },
      },
      async req => ({
        success: true,
        ...(await listServers(deps.db, { userId: req.query.user_id, status: req.query.status }, pageOf(req.query))),
      }),
    )

    app.get(
      '/API/admin/plesk-subscriptions',
      {
        config: admin,
        schema: {
          operationId: 'adminListPleskSubscriptions',
          tags,
          summary: 'Plesk subscriptions, newest first, by user and status',
          querystring: ServicesQuery,
          response: responses({ 200: PleskSubscriptionsResponse }),
        },
      },
      async req => ({
        success: true,
        ...(await listPleskSubscriptions(
          deps.db,
          { userId: req.query.user_id, status: req.query.status },
          pageOf(req.query),
        )),
      }),
    )

    app.get(
      '/API/admin/audit-log',
      {
        config: admin,
        schema: {
          operationId: 'adminListAuditLog',
          tags,
          summary: 'Audit records, newest first, by actor, action, target, request and time',
          querystring: AuditQuery,
          response: responses({ 200: AuditResponse }),
        },
      },
      async req => {
        const q = req.query
        const filter = {
          actor: q.actor,
          action: q.action,
          targetType: q.target_type,
          targetId: q.target_id,
          requestId: q.request_id,
          from: q.from,
          to: q.to,
        }
        return { success: true, ...(await listAuditLog(deps.db, filter, pageOf(q))) }
      },
    )
  }
