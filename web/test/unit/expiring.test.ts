import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { expiringSoon, type ServiceSummary } from '../../src/features/dashboard/expiring.ts'

const now = new Date('2026-12-01T12:00:00Z')
const svc = (
  id: string,
  status: string,
  expires: string | null,
  kind: 'server' | 'plesk' = 'server',
): ServiceSummary => ({
  kind,
  id,
  name: id,
  status,
  expiresAt: expires === null ? null : new Date(expires),
  autoRenew: false,
})

describe('dashboard: what expires soon', () => {
  it('lists live services ending within seven days or already ended, soonest first', () => {
    const list = expiringSoon(
      [
        svc('later', 'active', '2026-12-20T00:00:00Z'),
        svc('edge', 'active', '2026-12-08T12:00:00Z'),
        svc('soon', 'active', '2026-12-02T00:00:00Z', 'plesk'),
        svc('lapsed', 'suspended', '2026-11-30T00:00:00Z'),
        svc('gone', 'deleted', '2026-12-02T00:00:00Z'),
        svc('failed', 'provision_failed', '2026-12-02T00:00:00Z'),
        svc('noterm', 'provisioning', null),
      ],
      now,
    )
    assert.deepEqual(
      list.map(s => s.id),
      ['lapsed', 'soon', 'edge'],
    )
  })

  it('takes another window', () => {
    assert.deepEqual(expiringSoon([svc('a', 'active', '2026-12-03T00:00:00Z')], now, 1), [])
  })
})
