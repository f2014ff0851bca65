import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Deps } from '../../../deps.ts'
import { AppError } from '../../../domain/errors.ts'
import { receiveCallback } from '../../../domain/payments/receive-callback.ts'
import { withErrors } from '../../schemas/common.ts'

/**
 * OxaPay's callback (0xhost-api §3.20): no API key (OxaPay has none of ours); authenticity is the
 * `HMAC` header, HMAC-SHA512 of the raw body under the merchant key, compared in constant time.
 * This plugin replaces the app's JSON parser with one that only keeps the bytes, so that every
 * callback — even one that is not JSON — is stored and its signature checked before any parsing.
 */
export const onPaymentStatusRoute = (deps: Deps): FastifyPluginAsyncTypebox => async app => {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => {
    req.rawBody = body as Buffer
    done(null, undefined)
  })
  app.post('/API/on_payment_status', {
    config: { auth: 'none' },
    schema: {
      operationId: 'onPaymentStatus',
      tags: ['payments'],
      summary: 'Payment status callback from OxaPay (signed with the HMAC header); answers ok',
      response: withErrors({ 200: Type.String({ description: 'ok' }) }),
    },
  }, async (req, reply) => {
    const header = req.headers.hmac
    const { signatureValid } = await receiveCallback(deps, {
      rawBody: req.rawBody ?? Buffer.alloc(0), signature: typeof header === 'string' ? header : undefined, ip: req.ip,
    })
    if (!signatureValid) throw new AppError('unauthorized', 'missing or invalid HMAC signature')
    return reply.type('text/plain; charset=utf-8').send('ok')
  })
}
