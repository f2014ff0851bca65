import { test } from 'node:test'
import assert from 'node:assert/strict'
import { assertRunnable, ConfigError, loadConfig } from '../../src/config.ts'

/** Payment settings: parsed once, with their ranges; a real OxaPay needs a URL it can call back. */
test('payment settings and their limits', () => {
  const c = loadConfig([], {
    OXAPAY_UNDERPAID_COVERAGE: '5',
    RECONCILE_INTERVAL_MS: '30000',
    INVOICE_LIFETIME_MINUTES: '90',
  })
  assert.equal(c.oxapay.underPaidCoverage, 5)
  assert.equal(c.reconcileIntervalMs, 30000)
  assert.equal(c.invoiceLifetimeMinutes, 90)
  const d = loadConfig([], {})
  assert.equal(d.oxapay.underPaidCoverage, undefined, "unset: the merchant's OxaPay setting applies")
  assert.equal(d.reconcileIntervalMs, 60000)
  assert.throws(() => loadConfig([], { OXAPAY_UNDERPAID_COVERAGE: '61' }), /OXAPAY_UNDERPAID_COVERAGE/)
  assert.throws(() => loadConfig([], { RECONCILE_INTERVAL_MS: '10' }), /RECONCILE_INTERVAL_MS/)
  assert.throws(() => loadConfig([], { INVOICE_LIFETIME_MINUTES: '14' }), /INVOICE_LIFETIME_MINUTES/)
})

test('the default coin and network of white-label invoices: USDT on its default network unless set; checked once', () => {
  const d = loadConfig([], {})
  assert.equal(d.oxapay.defaultPayCurrency, 'USDT')
  assert.equal(d.oxapay.defaultNetwork, undefined, "unset: OxaPay's default network of the coin")
  const c = loadConfig([], { OXAPAY_DEFAULT_PAY_CURRENCY: ' btc ', OXAPAY_DEFAULT_NETWORK: 'Bitcoin Network' })
  assert.deepEqual([c.oxapay.defaultPayCurrency, c.oxapay.defaultNetwork], ['BTC', 'Bitcoin Network'])
  assert.equal(loadConfig([], { OXAPAY_DEFAULT_NETWORK: 'TRC20' }).oxapay.defaultNetwork, 'TRC20')
  for (const bad of ['U', 'USDT-TRC20', 'TOOLONGCOIN1', 'U$DT']) {
    assert.throws(
      () => loadConfig([], { OXAPAY_DEFAULT_PAY_CURRENCY: bad }),
      (err: unknown) => err instanceof ConfigError && /OXAPAY_DEFAULT_PAY_CURRENCY/.test(err.message),
      bad,
    )
  }
  for (const bad of ['-Tron', 'Tron;', 'x'.repeat(51)]) {
    assert.throws(
      () => loadConfig([], { OXAPAY_DEFAULT_NETWORK: bad }),
      (err: unknown) => err instanceof ConfigError && /OXAPAY_DEFAULT_NETWORK/.test(err.message),
      bad,
    )
  }
})

test('a real OxaPay without PUBLIC_URL is refused at start; the fake needs none', () => {
  const real = loadConfig([], { OXAPAY_URL: 'https://api.oxapay.com/v1', OXAPAY_MERCHANT_KEY: 'k' })
  assert.throws(
    () => assertRunnable(real),
    (err: unknown) => err instanceof ConfigError && /PUBLIC_URL/.test(err.message),
  )
  assertRunnable(
    loadConfig([], {
      OXAPAY_URL: 'https://api.oxapay.com/v1',
      OXAPAY_MERCHANT_KEY: 'k',
      PUBLIC_URL: 'https://billing.example.com',
    }),
  )
  assertRunnable(loadConfig([], {}))
})
