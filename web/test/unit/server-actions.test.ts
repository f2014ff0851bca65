import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { pendingAction, pendingOrderFor, serverActions } from '../../src/features/servers/server-actions.ts'

const now = new Date('2026-12-01T12:00:00Z')
const server = (status: string, cancelAt: string | null = null) => ({ id: 'srv_1', status, cancel_at: cancelAt })
const none = { actions: [], orders: [], now }

describe('server actions: what the state allows, and why not', () => {
  it('allows everything but undo on an active server with nothing pending', () => {
    const v = serverActions(server('active'), none)
    for (const name of ['power', 'changePlan', 'extend', 'addon', 'autoRenew', 'cancel'] as const) {
      assert.deepEqual(v[name], { allowed: true }, name)
    }
    assert.deepEqual(v.undoCancel, { allowed: false, reason: 'notCancelled' })
  })

  it('a suspended server can only be extended or have auto-renew changed', () => {
    const v = serverActions(server('suspended'), none)
    assert.deepEqual(v.power, { allowed: false, reason: 'status', status: 'suspended' })
    assert.deepEqual(v.changePlan, { allowed: false, reason: 'status', status: 'suspended' })
    assert.deepEqual(v.addon, { allowed: false, reason: 'status', status: 'suspended' })
    assert.deepEqual(v.cancel, { allowed: false, reason: 'status', status: 'suspended' })
    assert.deepEqual(v.extend, { allowed: true })
    assert.deepEqual(v.autoRenew, { allowed: true })
  })

  it('power needs a VM', () => {
    const v = serverActions({ ...server('active'), id_solusvm: null }, none)
    assert.deepEqual(v.power, { allowed: false, reason: 'status', status: 'active' })
    assert.deepEqual(serverActions({ ...server('active'), id_solusvm: 7 }, none).power, { allowed: true })
  })

  it('a provisioning or resizing server allows no order and no power action', () => {
    for (const status of ['provisioning', 'resizing', 'pending_payment']) {
      const v = serverActions(server(status), none)
      assert.equal(v.power.allowed, false)
      assert.equal(v.changePlan.allowed, false)
      assert.equal(v.extend.allowed, false)
      assert.equal(v.cancel.allowed, false)
    }
  })

  it('a server that is gone allows nothing', () => {
    for (const status of ['provision_failed', 'deleted', 'cancelled', 'terminating', 'terminated']) {
      const v = serverActions(server(status), none)
      for (const [name, verdict] of Object.entries(v)) assert.equal(verdict.allowed, false, `${status} ${name}`)
    }
  })

  it('a queued or running power action blocks the next one and names it', () => {
    const actions = [
      { id: 'act_3', action: 'reboot', status: 'running' },
      { id: 'act_2', action: 'stop', status: 'queued' },
      { id: 'act_1', action: 'start', status: 'done' },
    ]
    assert.equal(pendingAction(actions)?.id, 'act_3')
    const v = serverActions(server('active'), { actions, orders: [], now })
    assert.deepEqual(v.power, { allowed: false, reason: 'actionPending', action: 'reboot', actionStatus: 'running' })
    // Orders are not held by a power action.
    assert.deepEqual(v.extend, { allowed: true })
    const finished = serverActions(server('active'), {
      actions: [{ id: 'a', action: 'stop', status: 'failed' }, actions[2]!],
      orders: [],
      now,
    })
    assert.deepEqual(finished.power, { allowed: true })
  })

  it('an open order on the server blocks orders and links it; orders of other servers do not', () => {
    const orders = [
      { id: 'ord_9', order_number: 'CLOUD_1', status: 'processing', server_id: 'srv_2', service_id: 'srv_2' },
      { id: 'ord_8', order_number: 'ADDON_1', status: 'pending_payment', server_id: 'srv_1', service_id: 'sa_1' },
      { id: 'ord_7', order_number: 'CLOUD_0', status: 'completed', server_id: 'srv_1', service_id: 'srv_1' },
    ]
    assert.equal(pendingOrderFor('srv_1', orders)?.id, 'ord_8')
    const v = serverActions(server('active'), { actions: [], orders, now })
    const held = {
      allowed: false,
      reason: 'orderPending',
      orderId: 'ord_8',
      orderNumber: 'ADDON_1',
      orderStatus: 'pending_payment',
    }
    assert.deepEqual(v.changePlan, held)
    assert.deepEqual(v.extend, held)
    assert.deepEqual(v.addon, held)
    assert.deepEqual(v.cancel, held)
    assert.deepEqual(v.power, { allowed: true })
    assert.equal(pendingOrderFor('srv_3', orders), null)
  })

  it('cancellation: once recorded it cannot be repeated, and undo works only before it takes effect', () => {
    const later = '2026-12-20T00:00:00Z'
    const v = serverActions(server('active', later), none)
    const pending = { allowed: false, reason: 'cancelPending', cancelAt: later }
    assert.deepEqual(v.cancel, pending)
    assert.deepEqual(v.undoCancel, { allowed: true })
    // While it is pending no order is taken, and auto-renew cannot be turned back on (undo instead).
    assert.deepEqual(v.extend, pending)
    assert.deepEqual(v.changePlan, pending)
    assert.deepEqual(v.addon, pending)
    assert.deepEqual(v.autoRenew, pending)
    assert.deepEqual(v.power, { allowed: true })
    assert.deepEqual(serverActions(server('suspended', later), none).undoCancel, {
      allowed: false,
      reason: 'status',
      status: 'suspended',
    })
    const past = '2026-12-01T11:59:59Z'
    const w = serverActions(server('active', past), none)
    assert.deepEqual(w.undoCancel, { allowed: false, reason: 'cancelEffective', cancelAt: past })
  })
})
