import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { WebSocket } from 'ws'
import { createSolusVmClient } from '../../../src/integrations/solusvm/client.ts'
import { startFakeSolusVm, type FakeSolusVmHandle } from '../../../src/fakes/solusvm/server.ts'
import { VNC_TTL_MS } from '../../../src/fakes/solusvm/state.ts'
import { vncDes, vncResponse } from '../../../src/fakes/solusvm/vnc-auth.ts'
import type { SolusVmApi } from '../../../src/integrations/solusvm/types.ts'
import { silentLogger } from '../../../src/lib/logger.ts'
import { TOKEN, createInput } from './helpers.ts'

// The fake master's VNC console, driven over its websocket by a small RFB 3.8 client (the
// protocol as RFC 6143 writes it, independent of the fake's code), with the URL and password the
// real adapter's openConsole() returns. Manual clock: links expire when the test says so.

/** A websocket as a byte stream: `read(n)` resolves once n bytes arrived. */
class RfbClient {
  private buf = Buffer.alloc(0)
  private wake: (() => void) | null = null
  closed = false
  closeReason = ''
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.buf = Buffer.concat([this.buf, data])
      this.wake?.()
    })
    ws.on('close', (_code, reason) => {
      this.closed = true
      this.closeReason = reason.toString()
      this.wake?.()
    })
  }

  async read(n: number, timeoutMs = 2000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs
    while (this.buf.length < n) {
      if (this.closed) throw new Error(`closed (${this.closeReason}) with ${this.buf.length}/${n} bytes`)
      if (Date.now() > deadline) throw new Error(`timed out with ${this.buf.length}/${n} bytes`)
      await new Promise<void>(resolve => {
        this.wake = resolve
        setTimeout(resolve, 50)
      })
    }
    const out = this.buf.subarray(0, n)
    this.buf = this.buf.subarray(n)
    return out
  }

  /** Bytes that arrived and were not read. */
  pending(): number {
    return this.buf.length
  }

  send(bytes: Buffer | number[]): void {
    this.ws.send(Buffer.from(bytes))
  }

  async readReason(): Promise<string> {
    const len = (await this.read(4)).readUInt32BE(0)
    return (await this.read(len)).toString('utf8')
  }
}

/** Opens the websocket; the HTTP status when the upgrade is refused. */
function open(url: string): Promise<RfbClient | { refused: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    ws.once('open', () => resolve(new RfbClient(ws)))
    ws.once('unexpected-response', (_req, res) => {
      resolve({ refused: res.statusCode ?? 0 })
      res.resume()
      ws.terminate()
    })
    ws.once('error', err => reject(err))
  })
}

async function connect(url: string): Promise<RfbClient> {
  const c = await open(url)
  if ('refused' in c) throw new Error(`upgrade refused: ${c.refused}`)
  return c
}

/** ProtocolVersion and the security types: only 2 (VNC Authentication) is offered. */
async function handshake(c: RfbClient): Promise<Buffer> {
  assert.equal((await c.read(12)).toString('latin1'), 'RFB 003.008\n')
  c.send(Buffer.from('RFB 003.008\n', 'latin1'))
  assert.deepEqual([...(await c.read(2))], [1, 2])
  c.send([2])
  return c.read(16)
}

const key = (down: boolean, keysym: number): Buffer => {
  const b = Buffer.alloc(8)
  b.writeUInt8(4, 0)
  b.writeUInt8(down ? 1 : 0, 1)
  b.writeUInt32BE(keysym, 4)
  return b
}
const updateRequest = (incremental: boolean, x = 0, y = 0, w = 800, h = 600): Buffer => {
  const b = Buffer.alloc(10)
  b.writeUInt8(3, 0)
  b.writeUInt8(incremental ? 1 : 0, 1)
  b.writeUInt16BE(x, 2)
  b.writeUInt16BE(y, 4)
  b.writeUInt16BE(w, 6)
  b.writeUInt16BE(h, 8)
  return b
}

/** Reads one FramebufferUpdate of one Raw rectangle at 4 bytes a pixel. */
async function readUpdate(c: RfbClient): Promise<{ x: number; y: number; w: number; h: number; pixels: Buffer }> {
  const head = await c.read(4)
  assert.equal(head[0], 0, 'FramebufferUpdate')
  assert.equal(head.readUInt16BE(2), 1, 'one rectangle')
  const r = await c.read(12)
  assert.equal(r.readInt32BE(8), 0, 'Raw encoding')
  const w = r.readUInt16BE(4)
  const h = r.readUInt16BE(6)
  return { x: r.readUInt16BE(0), y: r.readUInt16BE(2), w, h, pixels: await c.read(w * h * 4) }
}

describe('VNC authentication DES', () => {
  it('is DES: the FIPS 81 vector with the key bytes bit-reversed (VNC reads them LSB first)', () => {
    // Standard DES: key 133457799BBCDFF1, 0123456789ABCDEF → 85E813540F0AB405. Reversing each
    // key byte's bits (0x13 → 0xC8, …) turns VNC's key order into the standard one.
    const out = vncDes(Buffer.from('C82CEA9ED93DFB8F', 'hex'), Buffer.from('0123456789ABCDEF', 'hex'))
    assert.equal(out.toString('hex'), '85e813540f0ab405')
  })
  it('uses the first 8 characters of the password, zero-padded', () => {
    const challenge = Buffer.alloc(16, 7)
    assert.deepEqual(vncResponse('abcdefgh-ignored', challenge), vncResponse('abcdefgh', challenge))
    assert.deepEqual(vncResponse('ab', challenge), vncDes(Buffer.from([97, 98, 0, 0, 0, 0, 0, 0]), challenge))
    assert.notDeepEqual(vncResponse('abcdefgh', challenge), vncResponse('abcdefgi', challenge))
  })
})

describe('fake SolusVM: the VNC console over its websocket', () => {
  let fake: FakeSolusVmHandle
  let client: SolusVmApi
  let now = Date.parse('2030-06-01T00:00:00Z')
  let vmId: number
  const vm = () => fake.servers().find(s => s.id === vmId)!

  before(async () => {
    fake = await startFakeSolusVm({ token: TOKEN, createDelayMs: 100, taskDelayMs: 100, clock: () => now })
    client = createSolusVmClient({
      baseUrl: fake.url,
      token: TOKEN,
      retries: 0,
      backoffMs: 1,
      pollIntervalMs: 5,
      logger: silentLogger,
    })
    vmId = (await client.createServer(createInput({ hostname: 'vnc-test.example.net' }))).id
    now += 101
    assert.equal((await client.getServer(vmId))?.status, 'started')
  })
  after(async () => {
    await fake.close()
  })

  it('the right password gets ServerInit, a framebuffer, and the keys, pointer and clipboard are recorded', async () => {
    const { url, password } = await client.openConsole(vmId)
    const c = await connect(url)
    const challenge = await handshake(c)
    c.send(vncResponse(password, challenge))
    assert.equal((await c.read(4)).readUInt32BE(0), 0, 'SecurityResult OK')
    c.send([1]) // ClientInit, shared
    const init = await c.read(24)
    assert.equal(init.readUInt16BE(0), 800)
    assert.equal(init.readUInt16BE(2), 600)
    assert.deepEqual([...init.subarray(4, 8)], [32, 24, 0, 1], '32 bpp, depth 24, little-endian, true colour')
    const name = await c.read(init.readUInt32BE(20))
    assert.equal(name.toString('utf8'), vm().name)

    // noVNC's pixel format: RGB in bits 0/8/16 (the fake must follow it, not its own 16/8/0).
    const fmt = Buffer.alloc(20)
    fmt.writeUInt8(0, 0)
    Buffer.from([32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 0, 8, 16, 0, 0, 0]).copy(fmt, 4)
    c.send(fmt)
    c.send([2, 0, 0, 1, 0, 0, 0, 0]) // SetEncodings [Raw]
    c.send(updateRequest(false))
    const full = await readUpdate(c)
    assert.deepEqual([full.x, full.y, full.w, full.h], [0, 0, 800, 600])
    const colours = new Set<number>()
    for (let i = 0; i < full.pixels.length; i += 4) colours.add(full.pixels.readUInt32LE(i))
    assert.ok(colours.size >= 3, `a picture, not a blank screen (${colours.size} colours)`)
    // The top-left pixel is the bright title bar, in the client's byte order (R, G, B, pad).
    assert.deepEqual([...full.pixels.subarray(0, 3)], [38, 132, 214])

    // A part of the screen: exactly that rectangle.
    c.send(updateRequest(false, 10, 20, 30, 5))
    const part = await readUpdate(c)
    assert.deepEqual([part.x, part.y, part.w, part.h], [10, 20, 30, 5])

    // Incremental: nothing changed, so nothing comes (no busy loop) ...
    c.send(updateRequest(true))
    await new Promise(resolve => setTimeout(resolve, 200))
    assert.equal(c.pending(), 0)
    // ... until Ctrl+Alt+Del, sent the way noVNC's sendCtrlAltDel() does.
    for (const [down, sym] of [
      [true, 0xffe3],
      [true, 0xffe9],
      [true, 0xffff],
      [false, 0xffff],
      [false, 0xffe9],
      [false, 0xffe3],
    ] as const) {
      c.send(key(down, sym))
    }
    const after = await readUpdate(c)
    assert.notDeepEqual(after.pixels, full.pixels, 'the screen marks the Ctrl+Alt+Del')
    // Delete alone is no Ctrl+Alt+Del.
    c.send(Buffer.concat([key(true, 0xffff), key(false, 0xffff)]))
    c.send([5, 1, 0, 10, 0, 20]) // PointerEvent
    const text = Buffer.from('hello')
    c.send(Buffer.concat([Buffer.from([6, 0, 0, 0, 0, 0, 0, text.length]), text]))
    await waitFor(() => fake.vnc(vmId).cutText === 'hello')
    const rec = fake.vnc(vmId)
    assert.equal(rec.sessions, 1)
    assert.equal(rec.ctrlAltDel, 1)
    assert.deepEqual(rec.keysDown, [0xffe3, 0xffe9, 0xffff, 0xffff])
    assert.equal(rec.pointerEvents, 1)
    assert.equal(rec.framebufferUpdates, 3)
    c.ws.close()
  })

  it('a wrong password gets SecurityResult failed with its reason, then the socket closes', async () => {
    const { url, password } = await client.openConsole(vmId)
    const c = await connect(url)
    const challenge = await handshake(c)
    c.send(
      vncResponse(
        `${password}x`.replace(/^./, ch => (ch === 'z' ? 'y' : 'z')),
        challenge,
      ),
    )
    assert.equal((await c.read(4)).readUInt32BE(0), 1, 'SecurityResult failed')
    assert.equal(await c.readReason(), 'Authentication failed')
    await waitFor(() => c.closed)
    assert.equal(fake.vnc(vmId).authFailures, 1)
    assert.equal(fake.vnc(vmId).sessions, 1, 'no new session')
  })

  it('refuses another protocol version with a reason, and a security type it did not offer', async () => {
    let c = await connect((await client.openConsole(vmId)).url)
    await c.read(12)
    c.send(Buffer.from('RFB 003.003\n', 'latin1'))
    assert.equal((await c.read(1))[0], 0, 'no security types')
    assert.match(await c.readReason(), /003\.008/)
    await waitFor(() => c.closed)

    c = await connect((await client.openConsole(vmId)).url)
    await c.read(12)
    c.send(Buffer.from('RFB 003.008\n', 'latin1'))
    await c.read(2)
    c.send([1]) // None: not offered
    assert.equal((await c.read(4)).readUInt32BE(0), 1)
    await c.readReason()
    await waitFor(() => c.closed)
  })

  it('refuses at the upgrade a reused, an unknown and an expired link, and a stopped VM', async () => {
    const { url, password } = await client.openConsole(vmId)
    const first = await connect(url)
    const challenge = await handshake(first)
    first.send(vncResponse(password, challenge))
    assert.equal((await first.read(4)).readUInt32BE(0), 0)
    assert.deepEqual(await open(url), { refused: 403 }, 'a link opens one session')
    first.ws.close()

    const unknown = new URL(url)
    unknown.searchParams.set('url', 'not-a-token')
    assert.deepEqual(await open(unknown.href), { refused: 403 })
    unknown.pathname = '/elsewhere'
    assert.deepEqual(await open(unknown.href), { refused: 404 })

    const late = (await client.openConsole(vmId)).url
    now += VNC_TTL_MS - 1
    const justInTime = (await client.openConsole(vmId)).url
    now += 2
    assert.deepEqual(await open(late), { refused: 403 }, 'expired 5 minutes after vnc_up')
    const c = await connect(justInTime)
    await c.read(12)
    c.ws.close()

    const whileStarted = (await client.openConsole(vmId)).url
    const stop = await client.stopServer(vmId)
    now += 101
    await client.waitForTask(stop.id, 1000)
    assert.deepEqual(await open(whileStarted), { refused: 409 }, 'the VM is not running')
    const start = await client.startServer(vmId)
    now += 101
    await client.waitForTask(start.id, 1000)
  })

  it('drops the session when the VM stops, and close() ends open sessions', async () => {
    const { url, password } = await client.openConsole(vmId)
    const c = await connect(url)
    const challenge = await handshake(c)
    c.send(vncResponse(password, challenge))
    await c.read(4)
    c.send([1])
    const init = await c.read(24)
    await c.read(init.readUInt32BE(20))
    const stop = await client.stopServer(vmId)
    now += 101
    await client.waitForTask(stop.id, 1000)
    c.send(updateRequest(false))
    await waitFor(() => c.closed)
    assert.match(c.closeReason, /not running/)

    const start = await client.startServer(vmId)
    now += 101
    await client.waitForTask(start.id, 1000)
    const open2 = await connect((await client.openConsole(vmId)).url)
    await open2.read(12)
    await fake.close()
    await waitFor(() => open2.closed)
  })
})

async function waitFor(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}
