import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import SwaggerParser from '@apidevtools/swagger-parser'
import AjvModule from 'ajv'
import { startTestEnv, type TestEnv } from '../helper.ts'
import { DEMO_API_KEY } from '../../src/seed/seed-demo.ts'

let env: TestEnv
let doc: { paths: Record<string, Record<string, { operationId?: string, responses: Record<string, unknown>, requestBody?: { content: Record<string, { schema: object }> } }>> }
before(async () => {
  env = await startTestEnv()
  const res = await env.request({ method: 'GET', url: '/openapi.json' })
  assert.equal(res.statusCode, 200)
  doc = res.json()
})
after(async () => { await env.close() })

// The seeds are the spec: their examples are read from shared/ beside the clone, not copied here.
const SEEDS = join(process.cwd(), '..', 'shared', 'seeds')

function seedExamples (): Array<{ file: string, path: string, body: Record<string, unknown> }> {
  return readdirSync(SEEDS).filter(f => f.endsWith('.txt')).sort().map(file => {
    const text = readFileSync(join(SEEDS, file), 'utf8')
    const curl = text.slice(text.lastIndexOf('cURL Command'))
    const url = /'https:\/\/0xhost\.(?:com|net)(\/API\/[^']+)'/.exec(curl)
    const body = /-d '([\s\S]*?)'/.exec(curl)
    assert.ok(url && body, `${file}: a curl example with a URL and a body`)
    return { file, path: url[1]!, body: JSON.parse(body[1]!) as Record<string, unknown> }
  })
}

test('the OpenAPI document is valid OpenAPI 3', async () => {
  await SwaggerParser.validate(structuredClone(doc) as never)
})

test('every registered route is in the document with an operationId and its responses', () => {
  const hidden = (url: string) => url === '/openapi.json' || url.startsWith('/docs')
  const routes = env.app.routeList.filter(r => !hidden(r.url))
  assert.ok(routes.length >= 30, `found ${routes.length} routes`)
  const ids = new Set<string>()
  for (const r of routes) {
    const path = r.url.replace(/:(\w+)/g, '{$1}')
    const op = doc.paths[path]?.[r.method.toLowerCase()]
    assert.ok(op, `${r.method} ${r.url} is in the OpenAPI document`)
    assert.ok(op.operationId, `${r.method} ${r.url} has an operationId`)
    assert.ok(!ids.has(op.operationId), `operationId ${op.operationId} is unique`)
    ids.add(op.operationId)
    const codes = Object.keys(op.responses)
    assert.ok(codes.some(c => c.startsWith('2')), `${r.method} ${r.url} declares a success response`)
    for (const c of ['400', '401', '500']) assert.ok(codes.includes(c), `${r.method} ${r.url} declares ${c}`)
  }
})

test('each documented example body (shared/seeds) is valid against its route schema', async () => {
  const deref = await SwaggerParser.dereference(structuredClone(doc) as never) as unknown as typeof doc
  const Ajv = AjvModule.default ?? AjvModule
  const ajv = new Ajv({ strict: false })
  const examples = seedExamples()
  assert.equal(examples.length, 5)
  for (const ex of examples) {
    const schema = deref.paths[ex.path]?.post?.requestBody?.content['application/json']?.schema
    assert.ok(schema, `${ex.file}: ${ex.path} has a JSON request schema`)
    const validate = ajv.compile(schema)
    assert.ok(validate(ex.body), `${ex.file}: ${JSON.stringify(validate.errors)}`)
  }
})

test('each documented curl example succeeds against the demo data, in the docs order', async () => {
  // 002 new server, 003 change of plan, 004 addon, 000 Plesk order, 001 Plesk renewal.
  const order = ['002', '003', '004', '000', '001']
  const examples = seedExamples().sort((a, b) => order.indexOf(a.file.slice(0, 3)) - order.indexOf(b.file.slice(0, 3)))
  for (const ex of examples) {
    const res = await env.request({ url: ex.path, key: DEMO_API_KEY, body: ex.body })
    assert.equal(res.statusCode, 200, `${ex.file}: ${res.body}`)
    assert.equal(res.json().success, true, `${ex.file}: ${res.body}`)
  }
})
