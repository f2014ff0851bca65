import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { DEMO_API_KEY, DEMO_USER_ID } from '../../src/seed/seed-demo.ts'

let env: TestEnv
before(async () => { env = await startTestEnv() })
after(async () => { await env.close() })

test('new server from the docs example', async () => {
  const res = await env.request({ url: '/API/orders/create_order', key: DEMO_API_KEY, body: { user_id: DEMO_USER_ID, plan_id: '5', os_image_id: '13', location: 'Slovenia', name_server: 'testServerAPI' } })
  console.log(res.statusCode, res.body)
  assert.equal(res.statusCode, 200)
})
