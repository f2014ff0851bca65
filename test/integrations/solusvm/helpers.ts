import { readFileSync } from 'node:fs'
import { Writable } from 'node:stream'
import pino from 'pino'
import { createSolusVmClient, type SolusVmClientOptions } from '../../../src/integrations/solusvm/client.ts'
import { startFakeSolusVm, type FakeSolusVmHandle, type FakeSolusVmOptions } from '../../../src/fakes/solusvm/server.ts'
import type { CreateServerInput, SolusVmApi } from '../../../src/integrations/solusvm/types.ts'
import { silentLogger, type Logger } from '../../../src/lib/logger.ts'

export const TOKEN = 'test-token-5f2b9c1e7a'

/** Reads a recorded payload from ./fixtures. */
export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'))
}

export interface Env {
  fake: FakeSolusVmHandle
  client: SolusVmApi
  close: () => Promise<void>
}

/** A fake on a free port with short delays, and the real adapter pointed at it. */
export async function startEnv(
  fakeOpts: Partial<FakeSolusVmOptions> = {},
  clientOpts: Partial<SolusVmClientOptions> = {},
): Promise<Env> {
  const fake = await startFakeSolusVm({ token: TOKEN, createDelayMs: 30, taskDelayMs: 20, ...fakeOpts })
  const client = createSolusVmClient({
    baseUrl: fake.url,
    token: TOKEN,
    timeoutMs: 10_000,
    retries: 2,
    backoffMs: 5,
    pollIntervalMs: 10,
    logger: silentLogger,
    ...clientOpts,
  })
  return { fake, client, close: () => fake.close() }
}

let counter = 0

/** A create input with a unique reference. */
export function createInput(over: Partial<CreateServerInput> = {}): CreateServerInput {
  counter += 1
  return {
    reference: `srv_test_${counter}`,
    hostname: `vps${counter}.example.com`,
    planId: 1,
    locationId: 1,
    osVersionId: 6,
    password: 'S3cret-Pa55word!',
    ...over,
  }
}

/** A pino logger at trace level whose lines are kept in memory. */
export function memoryLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk))
      cb()
    },
  })
  return { logger: pino({ level: 'trace' }, stream), lines }
}
