import type { FastifyRequest } from 'fastify'
import { AppError, validation } from '../lib/errors.ts'
import type { OrderMeta } from '../domain/orders/execute-order.ts'
import { principalOf } from './auth.ts'

/** Key-sorted JSON, so that two bodies that differ only in key order have one fingerprint. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map(k => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`
  }
  return JSON.stringify(value)
}

/** Actor, request id, Idempotency-Key and request fingerprint for a write use-case. */
export function orderMeta(req: FastifyRequest): OrderMeta {
  const raw = req.headers['idempotency-key']
  if (Array.isArray(raw)) throw validation('send one Idempotency-Key header', 'Idempotency-Key')
  if (raw !== undefined && !/^[\x21-\x7e]{1,255}$/.test(raw)) {
    throw validation('Idempotency-Key must be 1-255 printable ASCII characters without spaces', 'Idempotency-Key')
  }
  // Keyed, because bodies hold FTP and customer passwords: a plain hash would let anyone with
  // the database test guesses offline.
  const fingerprint = req.server.secretBox.mac(
    `${req.method} ${req.routeOptions.url ?? req.url}\n${canonical(req.body ?? null)}`,
  )
  return { principal: principalOf(req), requestId: req.id, idempotencyKey: raw, fingerprint, ip: req.ip }
}

/** Converts an IntLike value (number or numeric string) to a number within bounds. */
export function toInt(value: number | string, field: string, min: number, max: number): number {
  const n = typeof value === 'number' ? value : Number(value)
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new AppError('validation_error', `${field} must be an integer from ${min} to ${max}`, { details: { field } })
  }
  return n
}
