import assert from 'node:assert/strict'
import type { LightMyRequestResponse } from 'fastify'

/** The error envelope, exactly: status, code, message twice, request id, and the field when given. */
export function assertError(res: LightMyRequestResponse, status: number, code: string, field?: string): void {
  assert.equal(res.statusCode, status, res.body)
  const b = res.json()
  assert.equal(b.success, false)
  assert.equal(b.error.code, code, res.body)
  assert.equal(b.message, b.error.message)
  assert.equal(typeof b.message, 'string')
  assert.equal(b.error.request_id, res.headers['x-request-id'])
  if (field !== undefined) assert.equal(b.error.field, field, res.body)
}

/** Runs a table row's assertions, naming the row when one fails. */
export function inCase(name: string, check: () => void): void {
  try {
    check()
  } catch (err) {
    if (err instanceof Error) err.message = `${name}: ${err.message}`
    throw err
  }
}

/** A 401 body without its request id, to compare answers that must be identical. */
export function unauthorizedBody(res: LightMyRequestResponse): unknown {
  assertError(res, 401, 'unauthorized')
  const b = res.json()
  delete b.error.request_id
  return b
}
