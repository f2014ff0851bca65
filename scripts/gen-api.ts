// `npm run gen:api`: rewrites web/src/api/schema.d.ts from the app's OpenAPI document.
import { readFileSync, writeFileSync } from 'node:fs'
import { SCHEMA_PATH, schemaTypes } from './openapi-types.ts'

const next = await schemaTypes()
let before = ''
try {
  before = readFileSync(SCHEMA_PATH, 'utf8')
} catch {}
if (next !== before) writeFileSync(SCHEMA_PATH, next)
process.stdout.write(`web/src/api/schema.d.ts: ${next === before ? 'already up to date' : 'rewritten'}\n`)
