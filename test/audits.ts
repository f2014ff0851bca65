import assert from 'node:assert/strict'
import type { TestEnv } from './helper.ts'
import { auditLedger } from '../src/domain/billing/ledger.ts'
import { auditPayments } from '../src/domain/payments/audit-payments.ts'
import { auditDelivery } from '../src/domain/billing/audit-delivery.ts'

/**
 * Everything `oxbill audit` checks, at the test's business time: balance = Σ ledger, every
 * payment's credits, and that what was paid was delivered. Concurrency and payment tests end here.
 */
export async function assertAuditsClean(env: TestEnv): Promise<void> {
  assert.deepEqual((await auditLedger(env.deps.db)).violations, [])
  assert.deepEqual((await auditPayments(env.deps.db)).violations, [])
  const delivery = await auditDelivery(env.deps.db, {
    now: env.clock.now(),
    suspendGraceHours: env.config.suspendGraceHours,
    toleranceMs: 2 * env.config.lifecycleIntervalMs,
  })
  assert.deepEqual(delivery.violations, [])
}
