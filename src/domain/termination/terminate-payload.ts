import { AppError } from '../../lib/errors.ts'
import { requireStrings } from '../../outbox/payload.ts'

/** Where a service was when its termination began: its terminate job gives it back there when it gives up. */
export type TerminationOrigin = 'active' | 'suspended'

/** Why a service is terminated: its `service.terminated` event's `reason`. */
export type TerminationReason = 'cancelled' | 'unpaid' | 'operator'

const ORIGINS: readonly string[] = ['active', 'suspended']
const REASONS: readonly string[] = ['cancelled', 'unpaid', 'operator']

/**
 * The optional part of a terminate job's payload. Jobs written before issue 13's part C have
 * neither field: they were all cancellations at the end of the term, from `active`.
 */
export interface TerminationPayload {
  origin?: TerminationOrigin
  reason?: TerminationReason
}

/** Parses a terminate job's payload: `idKey` required, `origin` and `reason` checked when present. */
export function parseTerminationPayload<K extends string>(
  p: unknown,
  idKey: K,
): Record<K, string> & TerminationPayload {
  const out = requireStrings(p, [idKey], ['origin', 'reason']) as Record<K, string> & TerminationPayload
  if (out.origin !== undefined && out.origin !== null && !ORIGINS.includes(out.origin)) {
    throw new AppError('internal_error', `job payload origin '${String(out.origin)}' is not active or suspended`)
  }
  if (out.reason !== undefined && out.reason !== null && !REASONS.includes(out.reason)) {
    throw new AppError('internal_error', `job payload reason '${String(out.reason)}' is unknown`)
  }
  return out
}

export const originOf = (p: TerminationPayload): TerminationOrigin => p.origin ?? 'active'
export const reasonOf = (p: TerminationPayload): TerminationReason => p.reason ?? 'cancelled'
