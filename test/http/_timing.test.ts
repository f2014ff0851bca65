import { test, before, after } from 'node:test'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { DEMO_API_KEY, DEMO_USER_ID } from '../../src/seed/seed-demo.ts'

let env: TestEnv
before(async () => { const t = Date.now(); env = await startTestEnv(); console.log('start', Date.now() - t) })
after(async () => { await env.close() })

test('timing', async () => {
  for (let i = 0; i < 4; i++) {
    const t = Date.now()
    const res = await env.request({ url: '/API/orders/create_order', key: DEMO_API_KEY, body: { user_id: DEMO_USER_ID, plan_id: '5', os_image_id: '13', location: 'Slovenia' } })
    console.log(res.statusCode, Date.now() - t, JSON.parse(res.body).status)
  }
  const u = await env.user('100.00')
  const t = Date.now()
  const res = await env.request({ url: '/API/orders/create_order', key: u.key, body: { user_id: u.id, plan_id: '5', os_image_id: '13', location: 'Slovenia' } })
  console.log(res.statusCode, Date.now() - t, res.body)
})
