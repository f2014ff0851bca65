import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { SCHEMA_PATH, schemaTypes } from '../../scripts/openapi-types.ts'

// The portal's API types are generated from the app's own OpenAPI document and committed
// (web/src/api/schema.d.ts). A route or schema change without `npm run gen:api` fails here,
// before the portal compiles against a document the server no longer serves.
test('web/src/api/schema.d.ts is what `npm run gen:api` writes now', async () => {
  const committed = readFileSync(SCHEMA_PATH, 'utf8')
  const fresh = await schemaTypes()
  if (committed !== fresh) {
    const a = committed.split('\n')
    const b = fresh.split('\n')
    const at = a.findIndex((line, i) => line !== b[i])
    assert.fail(
      `schema.d.ts is stale (first difference at line ${at + 1}: ${JSON.stringify(a[at])} vs ${JSON.stringify(b[at])}); run npm run gen:api`,
    )
  }
})
