import { createHash } from 'node:crypto'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance } from 'fastify'
import { AppError } from '../domain/errors.ts'

/**
 * Per-key rate limit (Stripe's 100 requests/s per account as the default), before
 * authentication so that floods cost nothing. Requests without a key are limited per IP.
 * Counters live in this process: with N API instances the effective limit is N times higher.
 */
export async function registerRateLimit (app: FastifyInstance, perSecond: number): Promise<void> {
  if (perSecond <= 0) return
  await app.register(rateLimit, {
    global: true,
    max: perSecond,
    timeWindow: 1000,
    keyGenerator: req => {
      const key = req.headers['x-api-key']
      return typeof key === 'string' && key.length > 0 ? `k:${createHash('sha256').update(key).digest('hex').slice(0, 32)}` : `ip:${req.ip}`
    },
    errorResponseBuilder: (_req, ctx) => new AppError('rate_limited', `too many requests: at most ${ctx.max} per second; retry in ${ctx.after}`, { retryable: true }),
  })
}
