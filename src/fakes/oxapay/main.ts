/**
 * Runs the fake OxaPay on its own for manual testing:
 *   npx tsx src/fakes/oxapay/main.ts [--port 4030] [--host 127.0.0.1] [--key KEY] [--fast-retries]
 * The key defaults to $OXAPAY_MERCHANT_KEY, else "fake-merchant-key". Point oxbill at http://host:port/v1.
 */
import { parseArgs } from 'node:util'
import { startFakeOxaPay } from './server.ts'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4030' },
    host: { type: 'string', default: '127.0.0.1' },
    key: { type: 'string', default: process.env.OXAPAY_MERCHANT_KEY ?? 'fake-merchant-key' },
    'fast-retries': { type: 'boolean', default: false },
  },
})

const fake = await startFakeOxaPay({
  merchantKey: values.key,
  host: values.host,
  port: Number(values.port),
  // Seconds instead of OxaPay's 1 m / 3 m / 30 m / 3 h, to watch retries while developing.
  retryScheduleMs: values['fast-retries'] ? [1000, 3000, 10_000, 30_000] : undefined,
})
process.stdout.write(`fake OxaPay listening on ${fake.apiBaseUrl} (controls under ${fake.url}/__fake/)\n`)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void fake.close().then(() => process.exit(0))
  })
}
