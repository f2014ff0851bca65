/**
 * The reminder mails (issue 11, "Done when"): a server that will not renew by itself is mailed 7,
 * 3 and 1 days before it expires, once each, however often the lifecycle and the notifier run in
 * between; the mail names the server and the days left. Business time moves through `env.clock`.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { runLifecycle } from '../../src/domain/lifecycle/run-lifecycle.ts'
import { lifecycleSettings } from '../../src/domain/lifecycle/settings.ts'
import { silentLogger } from '../../src/lib/logger.ts'

let env: TestEnv
before(async () => {
  env = await startTestEnv()
})
after(async () => {
  await env.close()
})

const DAY = 24 * 3600_000

test('an expiring server is mailed at 7, 3 and 1 days, once each, with the days left', async () => {
  const u = await env.user('50.00')
  const address = `${u.id}@test.invalid`
  const res = await env.request({
    url: '/API/orders/create_order',
    key: u.key,
    body: { user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia', name_server: 'remindme' },
  })
  assert.equal(res.statusCode, 200, res.body)
  const serverId = res.json<{ server_status: { new_id: string } }>().server_status.new_id
  const off = await env.request({
    url: '/API/services/auto_renew',
    key: u.key,
    body: { user_id: u.id, server_id: serverId, auto_renew: 0 },
  })
  assert.equal(off.statusCode, 200, off.body)
  await env.notifier.drain()
  const { expire_date: expire } = await env.deps.db
    .selectFrom('servers')
    .select('expire_date')
    .where('id', '=', serverId)
    .executeTakeFirstOrThrow()

  const reminderSubjects = () =>
    env.providers.fakes
      .smtp!.listMessages()
      .filter(m => m.to.includes(address))
      .map(m => m.subject)
      .filter(s => /expir/i.test(s))
  const mailsAt: number[] = []
  for (const days of [10, 8, 6.9, 6.5, 4, 2.9, 2.5, 1.5, 0.9, 0.5, 0.2]) {
    env.clock.current = new Date(expire.getTime() - days * DAY)
    const report = await runLifecycle({
      db: env.deps.db,
      clock: env.clock,
      logger: silentLogger,
      settings: lifecycleSettings(env.config),
    })
    assert.equal(report.failures, 0)
    await env.notifier.drain()
    // Twice: a second lifecycle run and drain add nothing.
    await runLifecycle({
      db: env.deps.db,
      clock: env.clock,
      logger: silentLogger,
      settings: lifecycleSettings(env.config),
    })
    await env.notifier.drain()
    mailsAt.push(reminderSubjects().length)
  }
  assert.deepEqual(mailsAt, [0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3])
  const subjects = reminderSubjects()
  assert.equal(new Set(subjects).size, 3, subjects.join(' | '))
  const bodies = await Promise.all(
    env.providers.fakes
      .smtp!.listMessages()
      .filter(m => m.to.includes(address) && /expir/i.test(m.subject))
      .map(m => env.providers.fakes.smtp!.readMessage(m.id)),
  )
  for (const [i, days] of [7, 3, 1].entries()) {
    const text = `${bodies[i]!.subject}\n${bodies[i]!.text}`
    assert.match(text, /remindme/)
    assert.match(text, new RegExp(`\\b${days}\\b`), `the ${days}-day reminder says so: ${text}`)
  }
})
