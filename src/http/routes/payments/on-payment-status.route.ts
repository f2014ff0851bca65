import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Deps } from '../../../deps.ts'
import { AppError } from '../../../lib/errors.ts'
import { receiveCallback } from '../../../domain/payments/receive-callback.ts'
import { clientAddress, rateLimited } from '../../rate-limit.ts'
import { PROVIDER, withErrors } from '../../schemas/common.ts'

/**
 * OxaPay's callback (0xhost-api §3.20): no API key (OxaPay has none of ours); authenticity is the
 * `HMAC` header, HMAC-SHA512 of the raw body under the merchant key, compared in constant time.
 * This plugin replaces the app's JSON parser with one that only keeps the bytes, so that every
 * callback — even one that is not JSON — is stored and its signature checked before any parsing.
 *
 * Rate budgets: not the key-less one (a flood of anything else from OxaPay's address, or from a
 * proxy's, must not stop payments), but two of its own per client address, told apart by the
 * signature (an HMAC over at most 16 KiB, no database): validly signed callbacks
 * (CALLBACK_RATE_LIMIT_PER_SECOND) and rejected ones (CALLBACK_REJECTS_PER_SECOND, past which they
 * are answered 429 without being received at all). Invalid signatures never use the valid budget,
 * so they cannot starve a genuine callback.
 */
export const onPaymentStatusRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.removeAllContentTypeParsers()
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => {
      req.rawBody = body as Buffer
      done(null, undefined)
    })
    app.post(
      '/API/on_payment_status',
      {
        config: { auth: 'none', rateLimit: 'callback' },
        schema: {
          operationId: 'onPaymentStatus',
          tags: ['payments'],
          summary: 'Payment status callback from OxaPay (signed with the HMAC header); answers ok',
          response: withErrors({ 200: Type.String({ description: 'ok' }) }, ['unauthorized', ...PROVIDER]),
        },
      },
      async (req, reply) => {
        const header = req.headers.hmac
        const rawBody = req.rawBody ?? Buffer.alloc(0)
        const signature = typeof header === 'string' ? header : undefined
        const limits = app.abuseLimits
        if (limits) {
          const address = clientAddress(req.ip)
          const [counter, what] = deps.oxapay.verifyCallback(rawBody, signature)
            ? [limits.signedCallbacks, 'signed payment callbacks']
            : [limits.rejectedCallbacks, 'payment callbacks with a bad or missing HMAC signature']
          if (!counter.hit(address)) {
            throw rateLimited(
              reply,
              counter,
              address,
              `too many ${what} from this address: at most ${counter.max} per second`,
            )
          }
        }
        const { signatureValid } = await receiveCallback(deps, { rawBody, signature, ip: req.ip })
        if (!signatureValid) throw new AppError('unauthorized', 'missing or invalid HMAC signature')
        return reply.type('text/plain; charset=utf-8').send('ok')
      },
    )
  }
