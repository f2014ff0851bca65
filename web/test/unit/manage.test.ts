import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { actionName, actionResult } from '../../src/features/servers/action-labels.ts'
import { consoleLink } from '../../src/features/servers/console-link.ts'
import { installedOs, planImages } from '../../src/features/servers/os-images.ts'
import { latestPasswordReset, serverActions } from '../../src/features/servers/server-actions.ts'
import { refusalText } from '../../src/features/servers/refusal-text.ts'
import { ftpPasswordSchema } from '../../src/features/plesk/ftp-password.schema.ts'
import { manageVerdicts } from '../../src/features/plesk/subscription-actions.ts'
import { manageRefusalText } from '../../src/features/plesk/manage-text.ts'

const now = new Date('2026-12-01T12:00:00Z')
const none = { actions: [], orders: [], now }
const vm = (status: string, extra: Record<string, unknown> = {}) => ({
  id: 'srv_1',
  status,
  id_solusvm: 7,
  power_status: 'started',
  cancel_at: null,
  ...extra,
})

describe('managing a server: reinstall, password, console, rescue, terminate', () => {
  it('an active, started VM with nothing running allows all of them', () => {
    const v = serverActions(vm('active'), none)
    for (const name of ['reinstall', 'resetPassword', 'console', 'rescue', 'cancelNow'] as const) {
      assert.deepEqual(v[name], { allowed: true }, name)
    }
  })

  it('one action at a time: a running reinstall blocks power, password, rescue and the console', () => {
    const actions = [{ id: 'a1', action: 'reinstall', status: 'running' }]
    const v = serverActions(vm('active'), { ...none, actions })
    const want = { allowed: false, reason: 'actionPending', action: 'reinstall', actionStatus: 'running' }
    for (const name of ['power', 'reinstall', 'resetPassword', 'rescue', 'console'] as const) {
      assert.deepEqual(v[name], want, name)
    }
    assert.equal(refusalText(v.reinstall), 'Wait until “Reinstall” has finished (it is running).')
    // A finished one blocks nothing.
    const later = serverActions(vm('active'), { ...none, actions: [{ id: 'a1', action: 'reinstall', status: 'done' }] })
    assert.deepEqual(later.reinstall, { allowed: true })
  })

  it('the console needs the VM started; the other actions do not', () => {
    const v = serverActions(vm('active', { power_status: 'stopped' }), none)
    assert.deepEqual(v.console, { allowed: false, reason: 'notStarted', powerStatus: 'stopped' })
    assert.match(refusalText(v.console) ?? '', /running/)
    assert.deepEqual(v.reinstall, { allowed: true })
    const unknown = serverActions(vm('active', { power_status: null }), none)
    assert.equal(unknown.console.allowed, false)
  })

  it('suspended, provisioning or without a VM: none of the VM actions, and the status is the reason', () => {
    for (const status of ['suspended', 'provisioning', 'terminating', 'resizing']) {
      const v = serverActions(vm(status), none)
      for (const name of ['reinstall', 'resetPassword', 'console', 'rescue'] as const) {
        assert.deepEqual(v[name], { allowed: false, reason: 'status', status }, `${status} ${name}`)
      }
    }
    const noVm = serverActions(vm('active', { id_solusvm: null }), none)
    assert.equal(noVm.reinstall.allowed, false)
    assert.equal(noVm.console.allowed, false)
  })

  it('terminating now: allowed when suspended or already cancelled for the end of the term, not with an open order', () => {
    assert.deepEqual(serverActions(vm('suspended'), none).cancelNow, { allowed: true })
    const cancelled = serverActions(vm('active', { cancel_at: '2026-12-20T00:00:00Z' }), none)
    assert.deepEqual(cancelled.cancelNow, { allowed: true })
    assert.equal(cancelled.cancel.allowed, false, 'end of term is already chosen')
    const orders = [{ id: 'o1', order_number: 'ORD-1', status: 'processing', server_id: 'srv_1' }]
    assert.equal(serverActions(vm('active'), { ...none, orders }).cancelNow.allowed, false)
    assert.equal(serverActions(vm('terminating'), none).cancelNow.allowed, false)
  })

  it('the password to reveal is the newest reset, not an older one', () => {
    const actions = [
      { id: 'a3', action: 'reboot', status: 'done' },
      { id: 'a2', action: 'reset_password', status: 'done' },
      { id: 'a1', action: 'reset_password', status: 'done' },
    ]
    assert.equal(latestPasswordReset(actions)?.id, 'a2')
    assert.equal(latestPasswordReset([{ id: 'a3', action: 'reboot', status: 'done' }]), null)
  })
})

describe('the actions list: names and results', () => {
  const os = (id: string) => (id === '13' ? 'Ubuntu 24.04' : id)
  it('names every kind, and an unknown one as spelled', () => {
    assert.equal(actionName('reset_password'), 'Reset root password')
    assert.equal(actionName('rescue_on'), 'Boot into rescue mode')
    assert.equal(actionName('something_new'), 'something new')
  })
  it('says what a finished action did, and why a failed one failed', () => {
    const base = { error: null }
    assert.equal(actionResult({ ...base, action: 'reinstall', status: 'done', os_id: '13' }, os), 'now Ubuntu 24.04')
    assert.equal(actionResult({ ...base, action: 'reinstall', status: 'running', os_id: '13' }, os), null)
    assert.equal(
      actionResult({ ...base, action: 'reset_password', status: 'done', password_delivery: 'email' }, os),
      'password sent by e-mail',
    )
    assert.equal(
      actionResult({ ...base, action: 'reset_password', status: 'done', password_ready: true }, os),
      'password ready to show',
    )
    assert.equal(actionResult({ action: 'reboot', status: 'failed', error: 'VM locked' }, os), 'VM locked')
  })
})

describe('the console link', () => {
  it('opens a page in a tab, offers a websocket to copy, and refuses anything else', () => {
    assert.deepEqual(consoleLink('https://panel.example/console?t=1'), {
      kind: 'page',
      href: 'https://panel.example/console?t=1',
    })
    assert.equal(consoleLink('wss://master.example/vnc?url=abc').kind, 'socket')
    assert.equal(consoleLink('javascript:alert(1)').kind, 'invalid')
    assert.equal(consoleLink('not a url').kind, 'invalid')
  })
})

describe('the reinstall images', () => {
  const plans = [
    {
      id: '5',
      name: 'VPS S',
      specs: { vcpu: 1, ram: 1, disk: 10 },
      price: '5.00',
      currency: 'EUR' as const,
      osImages: [
        { id: '13', name: 'Ubuntu', version: '24.04' },
        { id: '14', name: 'Debian', version: '12' },
      ],
    },
  ]
  it("are the server's plan's, null while loading, none for an unknown plan", () => {
    assert.deepEqual(
      planImages(plans, 5)?.map(i => i.id),
      ['13', '14'],
    )
    assert.equal(planImages(undefined, 5), null)
    assert.deepEqual(planImages(plans, '99'), [])
    assert.equal(installedOs(plans, '5', 14), 'Debian 12')
    assert.equal(installedOs(plans, '5', 99), '99')
  })
})

describe('managing a Plesk subscription', () => {
  const sub = (status: string, extra: Record<string, unknown> = {}) => ({
    status,
    auto_renew: false,
    cancel_at: null,
    ...extra,
  })
  const empty = { actions: [], orders: [] }
  it('active: everything; the FTP password waits for an open action', () => {
    const v = manageVerdicts(sub('active'), empty)
    for (const k of ['autoRenew', 'ftpPassword', 'login', 'cancel', 'cancelNow'] as const) {
      assert.deepEqual(v[k], { allowed: true }, k)
    }
    const busy = manageVerdicts(sub('active'), { ...empty, actions: [{ action: 'ftp_password', status: 'queued' }] })
    assert.equal(busy.ftpPassword.allowed, false)
    assert.equal(manageRefusalText(busy.ftpPassword), 'Wait until “FTP password change” has finished (it is queued).')
    assert.deepEqual(busy.login, { allowed: true })
  })
  it('suspended or provisioning: no FTP password and no login', () => {
    for (const status of ['suspended', 'provisioning']) {
      const v = manageVerdicts(sub(status), empty)
      assert.equal(v.ftpPassword.allowed, false, status)
      assert.equal(v.login.allowed, false, status)
      assert.match(manageRefusalText(v.login) ?? '', /subscription is/)
    }
    assert.deepEqual(manageVerdicts(sub('suspended'), empty).cancelNow, { allowed: true })
  })
  it('an operator hold: no FTP password and no login, in words; cancelling is still the customer’s', () => {
    const v = manageVerdicts(sub('active', { operator_suspended: true }), empty)
    assert.equal(v.ftpPassword.allowed, false)
    assert.equal(v.login.allowed, false)
    assert.match(manageRefusalText(v.login) ?? '', /suspended by the operator/)
    assert.deepEqual(v.cancel, { allowed: true })
  })
  it('a pending cancellation: auto-renew cannot be turned on, but can be turned off', () => {
    const cancelAt = '2026-12-20T00:00:00Z'
    assert.equal(manageVerdicts(sub('active', { cancel_at: cancelAt }), empty).autoRenew.allowed, false)
    assert.equal(
      manageVerdicts(sub('active', { cancel_at: cancelAt, auto_renew: true }), empty).autoRenew.allowed,
      true,
    )
    assert.equal(manageVerdicts(sub('active', { cancel_at: cancelAt }), empty).cancel.allowed, false)
  })
  it('an open order blocks cancelling', () => {
    const v = manageVerdicts(sub('active'), {
      ...empty,
      orders: [{ order_number: 'ORD-9', status: 'pending_payment' }],
    })
    assert.equal(manageRefusalText(v.cancel), 'Order ORD-9 on this subscription is still open.')
  })
})

describe('the FTP password form', () => {
  it('needs 10 characters, no edge spaces, and the same twice', () => {
    assert.equal(ftpPasswordSchema.safeParse({ password: 'Abcdefgh12', confirm: 'Abcdefgh12' }).success, true)
    const short = ftpPasswordSchema.safeParse({ password: 'Abc1234', confirm: 'Abc1234' })
    assert.equal(short.success, false)
    assert.deepEqual(short.error?.issues[0]?.path, ['password'])
    const differ = ftpPasswordSchema.safeParse({ password: 'Abcdefgh12', confirm: 'Abcdefgh13' })
    assert.deepEqual(differ.error?.issues[0]?.path, ['confirm'])
    assert.equal(ftpPasswordSchema.safeParse({ password: ' Abcdefgh12', confirm: ' Abcdefgh12' }).success, false)
  })
})
