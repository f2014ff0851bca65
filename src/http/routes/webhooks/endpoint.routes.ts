import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type { Deps } from '../../../deps.ts'
import type { Access } from '../../../domain/access/authorize.ts'
import { requireUser } from '../../../domain/access/authorize.ts'
import type { EndpointOwner } from '../../../domain/webhooks/owner.ts'
import { createWebhookEndpoint } from '../../../domain/webhooks/create-endpoint.ts'
import { getWebhookEndpoint, listWebhookEndpoints } from '../../../domain/webhooks/list-endpoints.ts'
import { updateWebhookEndpoint } from '../../../domain/webhooks/update-endpoint.ts'
import { deleteWebhookEndpoint } from '../../../domain/webhooks/delete-endpoint.ts'
import { rotateWebhookSecret } from '../../../domain/webhooks/rotate-secret.ts'
import { getDelivery, listEndpointDeliveries } from '../../../domain/webhooks/list-deliveries.ts'
import { replayWebhookDelivery } from '../../../domain/webhooks/replay-delivery.ts'
import { principalOf } from '../../auth.ts'
import { pageOf } from '../../schemas/paging.ts'
import { adminMeta } from '../admin/meta.ts'
import { responses } from '../admin/common.schema.ts'
import {
  CreateEndpointBody,
  DeletedResponse,
  DeliveriesQuery,
  DeliveriesResponse,
  DeliveryDetailResponse,
  DeliveryParams,
  DeliveryResponse,
  EndpointParams,
  EndpointResponse,
  EndpointsQuery,
  EndpointsResponse,
  EndpointWithSecretResponse,
  OwnerQuery,
  RotateBody,
  UpdateEndpointBody,
} from './webhooks.schema.ts'
import { deliveryStatesOf } from './states-filter.ts'

/** Where the routes are mounted and whose endpoints they reach. */
interface Area {
  prefix: '/API/webhooks' | '/API/admin/webhooks'
  auth: 'key' | 'admin'
  /** operationId prefix and tag. */
  op: '' | 'admin'
  tags: string[]
  owner(req: FastifyRequest, userId: string | undefined, access: Access): Promise<EndpointOwner>
}

const opId = (area: Area, name: string) => (area.op === '' ? name : `admin${name[0]!.toUpperCase()}${name.slice(1)}`)

/**
 * The webhook endpoint routes, once for customers (their own endpoints; an admin key may name a
 * customer with `user_id`) and once for operators (every endpoint; new ones are the operator's,
 * receiving every customer's events). The use-cases are the same; only the owner differs.
 */
function endpointRoutes(deps: Deps, area: Area): FastifyPluginAsyncTypebox {
  return async app => {
    const config = { auth: area.auth }
    const base = area.prefix
    const now = () => deps.clock.now()

    app.post(
      base,
      {
        config,
        schema: {
          operationId: opId(area, 'createWebhookEndpoint'),
          tags: area.tags,
          summary: 'Register a webhook endpoint; the answer holds its signing secret, shown once',
          querystring: OwnerQuery,
          body: CreateEndpointBody,
          response: responses({ 201: EndpointWithSecretResponse }, ['not_found', 'conflict', 'forbidden']),
        },
      },
      async (req, reply) => {
        const res = await createWebhookEndpoint(deps, {
          owner: await area.owner(req, req.query.user_id, 'use'),
          ...req.body,
        })
        return reply.code(201).send({ success: true as const, ...res })
      },
    )

    app.get(
      base,
      {
        config,
        schema: {
          operationId: opId(area, 'listWebhookEndpoints'),
          tags: area.tags,
          summary:
            area.op === '' ? "The caller's webhook endpoints" : 'Every webhook endpoint, by customer or operator-only',
          querystring: EndpointsQuery,
          response: responses({ 200: EndpointsResponse }, ['not_found', 'forbidden']),
        },
      },
      async req => ({
        success: true,
        ...(await listWebhookEndpoints(deps.db, {
          owner: await area.owner(req, req.query.user_id, 'read'),
          userId: area.op === 'admin' ? req.query.user_id : undefined,
          operatorOnly: req.query.operator === 'true',
          page: pageOf(req.query),
          now: now(),
        })),
      }),
    )

    app.get(
      `${base}/:endpoint_id`,
      {
        config,
        schema: {
          operationId: opId(area, 'getWebhookEndpoint'),
          tags: area.tags,
          summary: 'One webhook endpoint (never its secret)',
          params: EndpointParams,
          querystring: OwnerQuery,
          response: responses({ 200: EndpointResponse }, ['not_found', 'forbidden']),
        },
      },
      async req => ({
        success: true as const,
        ...(await getWebhookEndpoint(
          deps.db,
          await area.owner(req, req.query.user_id, 'read'),
          req.params.endpoint_id,
          now(),
        )),
      }),
    )

    app.patch(
      `${base}/:endpoint_id`,
      {
        config,
        schema: {
          operationId: opId(area, 'updateWebhookEndpoint'),
          tags: area.tags,
          summary: 'Change the URL, event types or description, or disable / enable the endpoint',
          params: EndpointParams,
          querystring: OwnerQuery,
          body: UpdateEndpointBody,
          response: responses({ 200: EndpointResponse }, ['not_found', 'conflict', 'forbidden']),
        },
      },
      async req => ({
        success: true as const,
        ...(await updateWebhookEndpoint(deps, {
          owner: await area.owner(req, req.query.user_id, 'use'),
          id: req.params.endpoint_id,
          ...req.body,
        })),
      }),
    )

    app.delete(
      `${base}/:endpoint_id`,
      {
        config,
        schema: {
          operationId: opId(area, 'deleteWebhookEndpoint'),
          tags: area.tags,
          summary: 'Delete the endpoint: nothing more is sent to it; its delivery log stays',
          params: EndpointParams,
          querystring: OwnerQuery,
          response: responses({ 200: DeletedResponse }, ['not_found', 'forbidden']),
        },
      },
      async req => ({
        success: true as const,
        ...(await deleteWebhookEndpoint(deps, await area.owner(req, req.query.user_id, 'use'), req.params.endpoint_id)),
      }),
    )

    app.post(
      `${base}/:endpoint_id/rotate-secret`,
      {
        config,
        schema: {
          operationId: opId(area, 'rotateWebhookSecret'),
          tags: area.tags,
          summary: 'A new signing secret, shown once; the previous one keeps signing for keep_previous_hours',
          params: EndpointParams,
          querystring: OwnerQuery,
          body: RotateBody,
          response: responses({ 200: EndpointWithSecretResponse }, ['not_found', 'forbidden']),
        },
      },
      async req => ({
        success: true as const,
        ...(await rotateWebhookSecret(deps, {
          owner: await area.owner(req, req.query.user_id, 'use'),
          id: req.params.endpoint_id,
          overlapHours: req.body.keep_previous_hours,
        })),
      }),
    )

    app.get(
      `${base}/:endpoint_id/deliveries`,
      {
        config,
        schema: {
          operationId: opId(area, 'listWebhookDeliveries'),
          tags: area.tags,
          summary: "The endpoint's delivery log, newest first, by state or event",
          params: EndpointParams,
          querystring: DeliveriesQuery,
          response: responses({ 200: DeliveriesResponse }, ['not_found', 'forbidden']),
        },
      },
      async req => ({
        success: true,
        ...(await listEndpointDeliveries(deps.db, {
          owner: await area.owner(req, req.query.user_id, 'read'),
          endpointId: req.params.endpoint_id,
          states: deliveryStatesOf(req.query.state),
          eventId: req.query.event_id,
          page: pageOf(req.query),
        })),
      }),
    )

    app.get(
      `${base}/:endpoint_id/deliveries/:delivery_id`,
      {
        config,
        schema: {
          operationId: opId(area, 'getWebhookDelivery'),
          tags: area.tags,
          summary: 'One delivery and every attempt: status, latency, response excerpt',
          params: DeliveryParams,
          querystring: OwnerQuery,
          response: responses({ 200: DeliveryDetailResponse }, ['not_found', 'forbidden']),
        },
      },
      async req => ({
        success: true as const,
        ...(await getDelivery(deps.db, {
          owner: await area.owner(req, req.query.user_id, 'read'),
          endpointId: req.params.endpoint_id,
          deliveryId: req.params.delivery_id,
        })),
      }),
    )

    app.post(
      `${base}/:endpoint_id/deliveries/:delivery_id/replay`,
      {
        config,
        schema: {
          operationId: opId(area, 'replayWebhookDelivery'),
          tags: area.tags,
          summary: 'Send a delivery again, with the same webhook-id and a fresh retry schedule',
          params: DeliveryParams,
          querystring: OwnerQuery,
          response: responses({ 200: DeliveryResponse }, ['not_found', 'invalid_state', 'forbidden']),
        },
      },
      async req => ({
        success: true as const,
        ...(await replayWebhookDelivery(deps, {
          owner: await area.owner(req, req.query.user_id, 'use'),
          endpointId: req.params.endpoint_id,
          deliveryId: req.params.delivery_id,
        })),
      }),
    )
  }
}

/** /API/webhooks: the caller's endpoints (an admin key may act for `user_id`). */
export const customerWebhookRoutes = (deps: Deps) =>
  endpointRoutes(deps, {
    prefix: '/API/webhooks',
    auth: 'key',
    op: '',
    tags: ['webhooks'],
    owner: async (req, userId, access) => ({
      kind: 'customer',
      userId: (await requireUser(deps.db, principalOf(req), userId, access)).id,
    }),
  })

/** /API/admin/webhooks: every endpoint; new ones are the operator's. Writes are audited. */
export const adminWebhookRoutes = (deps: Deps) =>
  endpointRoutes(deps, {
    prefix: '/API/admin/webhooks',
    auth: 'admin',
    op: 'admin',
    tags: ['admin'],
    owner: async (req, _userId, access) =>
      access === 'use' ? { kind: 'operator', meta: adminMeta(req) } : { kind: 'operator' },
  })
