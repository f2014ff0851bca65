import { parseArgs } from 'node:util'
import { startFakeSolusVm } from '../fakes/solusvm/server.ts'
import { startFakePlesk } from '../fakes/plesk/server.ts'
import { startFakeOxaPay } from '../fakes/oxapay/server.ts'
import { validation } from '../lib/errors.ts'

const num = (v: unknown, name: string): number | undefined => {
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isFinite(n) || n < 0) throw validation(`--${name} must be a non-negative number`, name)
  return n
}

/** `oxbill fake solusvm|plesk|oxapay --port N …`: a fake provider on loopback until Ctrl-C. */
export async function fake(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      token: { type: 'string' },
      'api-key': { type: 'string' },
      'merchant-key': { type: 'string' },
      'create-delay-ms': { type: 'string' },
      'task-delay-ms': { type: 'string' },
      'fail-rate': { type: 'string' },
      'drop-rate': { type: 'string' },
      'latency-ms': { type: 'string' },
      'reset-password-mode': { type: 'string' },
    },
  })
  const which = positionals[0]
  const common = {
    host: values.host ?? '127.0.0.1',
    port: num(values.port, 'port') ?? 0,
    latencyMs: num(values['latency-ms'], 'latency-ms'),
    failRate: num(values['fail-rate'], 'fail-rate'),
  }
  let handle: { url: string; close(): Promise<void> }
  if (which === 'solusvm') {
    if (!values.token) throw validation('--token is required', 'token')
    const mode = values['reset-password-mode']
    if (mode !== undefined && mode !== 'password' && mode !== 'email') {
      throw validation('--reset-password-mode must be password or email', 'reset-password-mode')
    }
    handle = await startFakeSolusVm({
      ...common,
      token: values.token,
      dropRate: num(values['drop-rate'], 'drop-rate'),
      createDelayMs: num(values['create-delay-ms'], 'create-delay-ms'),
      taskDelayMs: num(values['task-delay-ms'], 'task-delay-ms'),
      resetPasswordMode: mode,
    })
  } else if (which === 'plesk') {
    if (!values['api-key']) throw validation('--api-key is required', 'api-key')
    handle = await startFakePlesk({
      ...common,
      apiKey: values['api-key'],
      dropRate: num(values['drop-rate'], 'drop-rate'),
    })
  } else if (which === 'oxapay') {
    if (!values['merchant-key']) throw validation('--merchant-key is required', 'merchant-key')
    handle = await startFakeOxaPay({ ...common, merchantKey: values['merchant-key'] })
  } else {
    throw validation('usage: oxbill fake solusvm|plesk|oxapay --port N …', 'provider')
  }
  process.stderr.write(`fake ${which} listening on ${handle.url}\n`)
  await new Promise<void>(resolve => {
    const stop = () => {
      void handle.close().then(resolve)
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  return 0
}
