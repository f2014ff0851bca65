import pino from 'pino'
import type { Logger } from '../../../src/lib/logger.ts'
import { silentLogger } from '../../../src/lib/logger.ts'
import { createPleskClient, type PleskClientOptions } from '../../../src/integrations/plesk/client.ts'
import { startFakePlesk, type FakePleskHandle, type FakePleskOptions } from '../../../src/fakes/plesk/server.ts'
import type { PleskApi } from '../../../src/integrations/plesk/types.ts'

export const API_KEY = 'test-key-0123456789abcdef'

export interface Rig {
  fake: FakePleskHandle
  plesk: PleskApi
}

/** Starts a fake Plesk and an adapter pointed at it (fast retries, short timeout). */
export async function startRig(
  fakeOpts: Partial<FakePleskOptions> = {},
  clientOpts: Partial<PleskClientOptions> = {},
): Promise<Rig> {
  const fake = await startFakePlesk({ apiKey: API_KEY, ...fakeOpts })
  const plesk = createPleskClient({
    baseUrl: fake.url,
    apiKey: API_KEY,
    timeoutMs: 2000,
    retries: 2,
    backoffMs: 5,
    logger: silentLogger,
    ...clientOpts,
  })
  return { fake, plesk }
}

/** A debug-level pino logger whose lines are collected in memory. */
export function memoryLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = []
  const logger = pino(
    { level: 'debug' },
    {
      write: (line: string) => {
        lines.push(line)
      },
    },
  )
  return { logger, lines }
}

/** Posts a raw body to the fake's XML endpoint. */
export async function postRaw(
  fake: FakePleskHandle,
  body: string,
  headers: Record<string, string> = { KEY: API_KEY },
): Promise<{ status: number; text: string }> {
  const res = await fetch(`${fake.url}/enterprise/control/agent.php`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml', ...headers },
    body,
  })
  return { status: res.status, text: await res.text() }
}
