import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  addDec,
  cmpDec,
  decimalFromJson,
  divDec,
  formatDec,
  mulDec,
  parseDec,
  roundDec,
} from '../../../src/lib/money.ts'

const d = (s: string) => parseDec(s)!

describe('exact decimals for OxaPay amounts', () => {
  it('reads JSON numbers into the literal OxaPay wrote', () => {
    assert.equal(decimalFromJson(15), '15')
    assert.equal(decimalFromJson(0.00613418), '0.00613418')
    assert.equal(decimalFromJson(14.73130872), '14.73130872')
    assert.equal(decimalFromJson(1e-7), '0.0000001')
    assert.equal(decimalFromJson(2.5e21), '2500000000000000000000')
    assert.equal(decimalFromJson(-0.5), '-0.5')
    assert.equal(decimalFromJson('12.50'), '12.5')
    assert.equal(decimalFromJson('1.2e3'), '1200')
    assert.equal(decimalFromJson(Number.NaN), null)
    assert.equal(decimalFromJson('abc'), null)
    assert.equal(decimalFromJson(null), null)
  })

  it('adds, multiplies, divides and rounds without floats', () => {
    assert.equal(formatDec(addDec(d('0.1'), d('0.2'))), '0.3')
    assert.equal(formatDec(mulDec(d('10'), d('0.36839'))), '3.6839')
    assert.equal(formatDec(divDec(d('12.99'), d('65000'), 8)), '0.00019985')
    assert.equal(formatDec(divDec(d('1'), d('3'), 8)), '0.33333333')
    assert.equal(formatDec(divDec(d('-2'), d('3'), 2)), '-0.67')
    assert.equal(formatDec(roundDec(d('0.125'), 2)), '0.13')
    assert.equal(formatDec(d('0.000')), '0')
    assert.equal(cmpDec(d('1.50'), d('1.5')), 0)
    assert.equal(cmpDec(d('-1'), d('0.01')), -1)
  })
})
