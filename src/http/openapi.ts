import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'

/**
 * OpenAPI 3 built from the route schemas (every route declares body/query/params and a
 * response per status). Served at /openapi.json; an interactive page at /docs.
 */
export async function registerOpenApi (app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'oxbill API',
        version: '0.1.0',
        description: 'Orders, billing and provisioning for hosting providers; compatible with the 0xhost order API. ' +
          'Authenticate with the x-api-key header. Every POST accepts an Idempotency-Key header (Stripe semantics). ' +
          'Errors: { success: false, message, error: { code, message, request_id } }.',
      },
      components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } } },
      security: [{ apiKey: [] }],
      tags: [
        { name: 'orders', description: 'Server, addon and change-of-plan orders' },
        { name: 'plesk', description: 'Plesk web hosting' },
        { name: 'account', description: 'The caller, its balance and ledger' },
        { name: 'catalog', description: 'What can be ordered' },
        { name: 'services', description: 'Servers, addons, subscriptions the caller owns' },
        { name: 'payments', description: 'Crypto invoices, callbacks and transactions' },
        { name: 'admin', description: 'Operator API (admin keys only)' },
      ],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  app.get('/openapi.json', { schema: { hide: true }, config: { auth: 'none' } }, async () => app.swagger())
}
