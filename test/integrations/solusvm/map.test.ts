import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  errorText,
  isTaskBody,
  isTaskFinished,
  mapList,
  mapServer,
  mapTask,
  mapUsage,
} from '../../../src/integrations/solusvm/map.ts'
import { fixture } from './helpers.ts'

describe('SolusVM mapping of recorded payloads', () => {
  it('maps the minimal server payload of the reference', () => {
    assert.deepEqual(mapServer(fixture('server-minimal.json')), {
      id: 493,
      uuid: '3f1c…',
      name: 'vps1.example.com',
      description: '',
      status: 'processing',
      isProcessing: true,
      isSuspended: false,
      primaryIp: '203.0.113.5',
      ipv4: ['203.0.113.5'],
      planId: 3,
      bootMode: 'disk',
    })
  })

  it('falls back to the older ips shape and skips its IPv6 entries', () => {
    const s = mapServer(fixture('server-legacy-ips.json'))
    assert.equal(s.primaryIp, '198.51.100.20')
    assert.deepEqual(s.ipv4, ['198.51.100.20', '198.51.100.21'])
    assert.equal(s.isSuspended, true)
    assert.equal(s.description, 'srv_legacy')
    assert.equal(s.planId, 2)
  })

  it('reads a list envelope and puts the primary IP first, else keeps the first', () => {
    const page = mapList(fixture('server-list.json'))
    assert.equal(page.currentPage, 1)
    assert.equal(page.lastPage, 2)
    const [one, two] = page.items.map(i => mapServer(i))
    assert.equal(one?.primaryIp, '192.0.2.11')
    assert.deepEqual(one?.ipv4, ['192.0.2.11', '192.0.2.10'])
    assert.equal(two?.primaryIp, '192.0.2.12')
    assert.equal(two?.status, 'stopped')
  })

  it('maps the task example of the reference and a failed task', () => {
    const queued = mapTask(fixture('task-queued.json'))
    assert.deepEqual(queued, { id: 901, action: 'vm-resize', status: 'queued', output: '', progress: 0 })
    assert.equal(isTaskFinished(queued), false)
    const failed = mapTask(fixture('task-failed.json'))
    assert.equal(failed.status, 'failed')
    assert.equal(isTaskFinished(failed), true)
    assert.match(failed.output, /domain not found/)
  })

  it('tells a task body from a server body', () => {
    assert.equal(isTaskBody(fixture('task-queued.json')), true)
    assert.equal(isTaskBody(fixture('server-minimal.json')), false)
  })

  it('maps a usage series', () => {
    const u = mapUsage(fixture('usage-cpu.json'), 'cpu')
    assert.equal(u.name, 'CPU')
    assert.deepEqual(u.interval, { value: 4, measurement: 'second' })
    assert.equal(u.items.length, 2)
    assert.equal(u.items[0]?.load_average, 0.12)
  })

  it('flattens a Laravel validation error', () => {
    assert.equal(
      errorText(fixture('error-422.json')),
      'The given data was invalid. — plan: The selected plan is invalid.; password: The password field is required.',
    )
    assert.equal(errorText({ message: 'Unauthenticated.' }), 'Unauthenticated.')
    assert.equal(errorText('<html>'), null)
  })

  it('rejects bodies that are not servers or tasks', () => {
    assert.throws(() => mapServer({ data: { name: 'x' } }), TypeError)
    assert.throws(() => mapTask(null), TypeError)
    assert.throws(() => mapList({ data: {} }), TypeError)
  })

  it('treats an unknown task status as failed rather than polling forever', () => {
    assert.equal(mapTask({ id: 1, action: 'vm-x', status: 'weird' }).status, 'failed')
  })
})
