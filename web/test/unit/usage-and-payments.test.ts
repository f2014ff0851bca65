import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { usageChart } from '../../src/features/servers/usage.ts'
import { isPaidPaymentStatus, isTerminalPaymentStatus } from '../../src/features/balance/payment-status.ts'

describe('usage samples into chart rows', () => {
  it('draws the meaningful series of a known specification, oldest first', () => {
    const chart = usageChart('cpu', [
      { load_average: 0.5, cpu_time: 10, cpu_count: 2, time: '2026-12-01T10:00:04Z' },
      { load_average: 0.25, cpu_time: 9, cpu_count: 2, time: '2026-12-01T10:00:00Z' },
    ])
    assert.deepEqual(chart.series, ['load_average'])
    assert.deepEqual(
      chart.rows.map(r => r.time),
      ['2026-12-01T10:00:00Z', '2026-12-01T10:00:04Z'],
    )
    assert.equal(chart.rows[0]!.values['load_average'], 0.25)
  })

  it('falls back to every numeric key when the shape is unknown, and skips rows without a time', () => {
    const chart = usageChart('disk', [
      { iops: 3, latency: 'high', time: '2026-12-01T10:00:00Z' },
      { iops: 4, time: 'yesterday' },
      { iops: 5 },
      { iops: Number.NaN, time: '2026-12-01T10:00:04Z' },
    ])
    assert.deepEqual(chart.series, ['iops'])
    assert.equal(chart.rows.length, 2)
    assert.deepEqual(chart.rows[1]!.values, {})
  })

  it('an empty sample list is an empty chart', () => {
    assert.deepEqual(usageChart('network', []), { series: [], rows: [] })
  })
})

describe('payment statuses', () => {
  it('stops polling at paid, manual accept, expired and refunded, in either casing', () => {
    for (const s of ['Paid', 'paid', 'Manual_accept', 'Expired', 'Refunded']) {
      assert.equal(isTerminalPaymentStatus(s), true)
    }
    for (const s of ['New', 'Waiting', 'Paying', 'Underpaid', 'Refunding']) {
      assert.equal(isTerminalPaymentStatus(s), false)
    }
    assert.equal(isPaidPaymentStatus('Manual_accept'), true)
    assert.equal(isPaidPaymentStatus('Expired'), false)
  })
})
