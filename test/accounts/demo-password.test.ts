/**
 * Zero-setup mode's demo customer (issue 12): `oxbill serve` prints `demo customer: <email> /
 * <password>`, the same after a restart on the same data directory, and the password signs in.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer } from 'node:net'
import { onPostgres } from '../helper.ts'

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

/** Starts `oxbill serve`, waits for its banner, stops it; returns the banner. */
async function serveOnce(dataDir: string, port: number, check?: (banner: string) => Promise<void>): Promise<string> {
  const child = spawn(process.execPath, ['bin/oxbill.mjs', 'serve'], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString()
  })
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner in time; stderr: ${err}`)), 120_000)
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        if (out.includes('demo API key')) {
          clearTimeout(timer)
          resolve()
        }
      })
      child.once('exit', code => reject(new Error(`serve exited ${code}: ${err}`)))
    })
    await check?.(out)
    return out
  } finally {
    const exited = new Promise(resolve => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }
}

test(
  'zero-setup: serve prints the demo customer and password, the same after a restart; it signs in',
  { skip: onPostgres },
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'oxbill-demo-'))
    try {
      const port = await freePort()
      const line = (banner: string) => /^demo customer: (\S+) \/ (\S+)$/m.exec(banner)
      const first = await serveOnce(dataDir, port, async banner => {
        const m = line(banner)
        assert.ok(m, banner)
        const res = await fetch(`http://127.0.0.1:${port}/API/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: m[1], password: m[2] }),
        })
        assert.equal(res.status, 200, await res.text())
        assert.match(res.headers.get('set-cookie') ?? '', /^oxbill_session=/)
      })
      assert.equal((statSync(join(dataDir, 'demo-password')).mode & 0o777).toString(8), '600')
      const second = await serveOnce(dataDir, port)
      assert.equal(line(second)?.[0], line(first)?.[0], 'the same password after a restart')
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  },
)
