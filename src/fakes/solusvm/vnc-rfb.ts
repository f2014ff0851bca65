import type { FakeVncRecord } from './state.ts'
import { vncChallenge, vncResponseValid } from './vnc-auth.ts'
import {
  encodeRaw,
  parsePixelFormat,
  pixelFormatBytes,
  SERVER_PIXEL_FORMAT,
  type PixelFormat,
  type Screen,
} from './vnc-screen.ts'

/**
 * The server side of one RFB 3.8 session (RFC 6143), fed the bytes of a websocket as they arrive
 * (a message may split or join RFB messages, so it is parsed as a stream): ProtocolVersion,
 * security type 2 (VNC Authentication) only, SecurityResult with a reason on failure, ClientInit,
 * ServerInit, then the client's messages. FramebufferUpdateRequest is answered with one Raw
 * rectangle; an incremental one waits until the screen changes (answering it at once with nothing
 * would have noVNC spin). Unknown or malformed messages end the session, as a real server does.
 */
export interface RfbSessionOptions {
  password: string
  /** The desktop name of ServerInit (the VM's hostname). */
  name: string
  /** The VM's current screen. */
  screen(): Screen
  /** Whether the VM still runs; checked before each message (a stopped VM drops its console). */
  running(): boolean
  /** Where arrivals are counted; `onChange` runs after each (the fake's state file, say). */
  record: FakeVncRecord
  onChange(): void
  send(bytes: Buffer): void
  /** Ends the session (after what was sent). */
  end(reason: string): void
}

const VERSION = 'RFB 003.008\n'
const SECURITY_VNC_AUTH = 2
const MAX_CUT_TEXT = 1024 * 1024
const CONTROL = new Set([0xffe3, 0xffe4])
const ALT = new Set([0xffe9, 0xffea, 0xff7e])
const DELETE = new Set([0xffff, 0xff9f])

type Phase = 'version' | 'security' | 'auth' | 'init' | 'normal' | 'closed'

export class RfbSession {
  private phase: Phase = 'version'
  private buffer: Buffer = Buffer.alloc(0)
  private readonly challenge = vncChallenge()
  private format: PixelFormat = SERVER_PIXEL_FORMAT
  private readonly held = new Set<number>()
  /** An incremental update request waiting for a change. */
  private waiting = false
  private shownCtrlAltDel = -1

  constructor(private readonly o: RfbSessionOptions) {
    o.send(Buffer.from(VERSION, 'latin1'))
  }

  receive(chunk: Buffer): void {
    if (this.phase === 'closed') return
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk])
    // step() may close the session: read the phase afresh each round.
    while (!this.closed()) {
      const used = this.step(this.buffer)
      if (used === 0) break
      this.buffer = this.buffer.subarray(used)
    }
  }

  private closed(): boolean {
    return this.phase === 'closed'
  }

  /** Handles one message at the head of `b`; returns the bytes it used, 0 when more must arrive. */
  private step(b: Buffer): number {
    switch (this.phase) {
      case 'version': {
        if (b.length < 12) return 0
        if (b.toString('latin1', 0, 12) !== VERSION) {
          // 3.8's way to refuse a version: no security types, then a reason.
          this.fail(Buffer.concat([Buffer.from([0]), reason('this server speaks RFB 003.008 only')]), 'version')
          return 12
        }
        this.phase = 'security'
        this.o.send(Buffer.from([1, SECURITY_VNC_AUTH]))
        return 12
      }
      case 'security': {
        if (b.length < 1) return 0
        if (b[0] !== SECURITY_VNC_AUTH) {
          this.fail(securityFailed('security type not offered'), 'security type')
          return 1
        }
        this.phase = 'auth'
        this.o.send(this.challenge)
        return 1
      }
      case 'auth': {
        if (b.length < 16) return 0
        if (!vncResponseValid(this.o.password, this.challenge, b.subarray(0, 16))) {
          this.o.record.authFailures++
          this.o.onChange()
          this.fail(securityFailed('Authentication failed'), 'wrong password')
          return 16
        }
        this.o.record.sessions++
        this.o.onChange()
        this.phase = 'init'
        this.o.send(Buffer.from([0, 0, 0, 0]))
        return 16
      }
      case 'init': {
        if (b.length < 1) return 0
        const s = this.o.screen()
        const head = Buffer.alloc(4)
        head.writeUInt16BE(s.width, 0)
        head.writeUInt16BE(s.height, 2)
        const name = Buffer.from(this.o.name, 'utf8')
        const len = Buffer.alloc(4)
        len.writeUInt32BE(name.length, 0)
        this.phase = 'normal'
        this.o.send(Buffer.concat([head, pixelFormatBytes(SERVER_PIXEL_FORMAT), len, name]))
        return 1
      }
      case 'normal':
        return this.message(b)
      case 'closed':
        return 0
    }
  }

  private message(b: Buffer): number {
    if (b.length < 1) return 0
    if (!this.o.running()) {
      this.close('the VM is not running')
      return 0
    }
    const type = b.readUInt8(0)
    switch (type) {
      case 0: {
        // SetPixelFormat
        if (b.length < 20) return 0
        const f = parsePixelFormat(b.subarray(4, 20))
        if (f === null) {
          this.close('unsupported pixel format')
          return 0
        }
        this.format = f
        return 20
      }
      case 2: {
        // SetEncodings: Raw is always allowed, so the list changes nothing here.
        if (b.length < 4) return 0
        const size = 4 + b.readUInt16BE(2) * 4
        return b.length < size ? 0 : size
      }
      case 3: {
        // FramebufferUpdateRequest
        if (b.length < 10) return 0
        const incremental = b[1] !== 0
        if (incremental && this.o.record.ctrlAltDel === this.shownCtrlAltDel) this.waiting = true
        else this.update(b.readUInt16BE(2), b.readUInt16BE(4), b.readUInt16BE(6), b.readUInt16BE(8), incremental)
        return 10
      }
      case 4: {
        // KeyEvent
        if (b.length < 8) return 0
        this.key(b[1] !== 0, b.readUInt32BE(4))
        return 8
      }
      case 5: {
        // PointerEvent
        if (b.length < 6) return 0
        this.o.record.pointerEvents++
        this.o.onChange()
        return 6
      }
      case 6: {
        // ClientCutText
        if (b.length < 8) return 0
        const len = b.readUInt32BE(4)
        if (len > MAX_CUT_TEXT) {
          this.close('clipboard text too long')
          return 0
        }
        if (b.length < 8 + len) return 0
        this.o.record.cutText = b.toString('latin1', 8, 8 + len)
        this.o.onChange()
        return 8 + len
      }
      default:
        this.close(`unknown message type ${type}`)
        return 0
    }
  }

  private key(down: boolean, keysym: number): void {
    if (!down) {
      this.held.delete(keysym)
      return
    }
    this.held.add(keysym)
    this.o.record.keysDown.push(keysym)
    const has = (set: Set<number>): boolean => [...this.held].some(k => set.has(k))
    if (DELETE.has(keysym) && has(CONTROL) && has(ALT)) this.o.record.ctrlAltDel++
    this.o.onChange()
    // The screen marks each Ctrl+Alt+Del: a waiting incremental request gets the new picture.
    if (this.waiting && this.o.record.ctrlAltDel !== this.shownCtrlAltDel) {
      this.waiting = false
      this.update(0, 0, 0, 0, true)
    }
  }

  /** One FramebufferUpdate with a Raw rectangle: the requested area (incremental: the whole screen). */
  private update(x: number, y: number, w: number, h: number, whole: boolean): void {
    const s = this.o.screen()
    if (whole) {
      x = 0
      y = 0
      w = s.width
      h = s.height
    }
    x = Math.min(x, s.width)
    y = Math.min(y, s.height)
    w = Math.min(w, s.width - x)
    h = Math.min(h, s.height - y)
    this.shownCtrlAltDel = this.o.record.ctrlAltDel
    const head = Buffer.alloc(16)
    head.writeUInt8(0, 0)
    head.writeUInt16BE(1, 2)
    head.writeUInt16BE(x, 4)
    head.writeUInt16BE(y, 6)
    head.writeUInt16BE(w, 8)
    head.writeUInt16BE(h, 10)
    head.writeInt32BE(0, 12) // Raw
    this.o.record.framebufferUpdates++
    this.o.onChange()
    this.o.send(Buffer.concat([head, encodeRaw(s, x, y, w, h, this.format)]))
  }

  private fail(bytes: Buffer, why: string): void {
    this.o.send(bytes)
    this.close(why)
  }

  private close(why: string): void {
    this.phase = 'closed'
    this.o.end(why)
  }
}

function reason(text: string): Buffer {
  const t = Buffer.from(text, 'utf8')
  const len = Buffer.alloc(4)
  len.writeUInt32BE(t.length, 0)
  return Buffer.concat([len, t])
}

/** SecurityResult failed (1) with its 3.8 reason string. */
function securityFailed(text: string): Buffer {
  return Buffer.concat([Buffer.from([0, 0, 0, 1]), reason(text)])
}
