import { createHash } from 'node:crypto'

/**
 * The fake VM's screen: a generated text-console-like picture (a dark screen, a bright title bar,
 * lines of light "words" seeded by the hostname, a cursor), so a VNC client shows a real
 * framebuffer rather than a blank socket. Each Ctrl+Alt+Del received adds a red mark on the bottom
 * line, so a test (or a person) sees the keys arrive. Kept as 24-bit RGB; encoded per client.
 */
export const SCREEN_WIDTH = 800
export const SCREEN_HEIGHT = 600

type Rgb = readonly [number, number, number]
const BACKGROUND: Rgb = [14, 16, 22]
const TITLE_BAR: Rgb = [38, 132, 214]
const TEXT: Rgb = [204, 208, 214]
const CURSOR: Rgb = [90, 220, 120]
const MARK: Rgb = [230, 60, 60]

export interface Screen {
  width: number
  height: number
  /** width × height × 3 bytes, rows top to bottom. */
  rgb: Uint8Array
}

export function renderScreen(hostname: string, ctrlAltDel: number): Screen {
  const width = SCREEN_WIDTH
  const height = SCREEN_HEIGHT
  const rgb = new Uint8Array(width * height * 3)
  const fill = (x: number, y: number, w: number, h: number, c: Rgb): void => {
    for (let row = Math.max(0, y); row < Math.min(height, y + h); row++) {
      for (let col = Math.max(0, x); col < Math.min(width, x + w); col++) rgb.set(c, (row * width + col) * 3)
    }
  }
  fill(0, 0, width, height, BACKGROUND)
  fill(0, 0, width, 22, TITLE_BAR)
  // The "words": widths from a digest of the hostname, so each server has its own screen.
  const seed = createHash('sha256').update(hostname).digest()
  let lastX = 12
  let lastY = 40
  for (let line = 0; line < 12; line++) {
    let x = 12
    const words = 2 + (seed[line % seed.length]! % 6)
    for (let w = 0; w < words; w++) {
      const len = 3 + (seed[(line * 7 + w) % seed.length]! % 9)
      fill(x, 40 + line * 20, len * 8, 10, TEXT)
      x += len * 8 + 8
    }
    lastX = x
    lastY = 40 + line * 20
  }
  fill(lastX, lastY, 8, 12, CURSOR)
  for (let i = 0; i < Math.min(ctrlAltDel, 40); i++) fill(12 + i * 18, height - 24, 12, 12, MARK)
  return { width, height, rgb }
}

/** The client's pixel format (RFC 6143 §7.4), as ServerInit announces it and SetPixelFormat sets it. */
export interface PixelFormat {
  bitsPerPixel: 8 | 16 | 32
  depth: number
  bigEndian: boolean
  trueColour: boolean
  redMax: number
  greenMax: number
  blueMax: number
  redShift: number
  greenShift: number
  blueShift: number
}

/** What ServerInit offers: 32 bpp true colour, depth 24, little-endian, RGB in bits 16/8/0. */
export const SERVER_PIXEL_FORMAT: PixelFormat = {
  bitsPerPixel: 32,
  depth: 24,
  bigEndian: false,
  trueColour: true,
  redMax: 255,
  greenMax: 255,
  blueMax: 255,
  redShift: 16,
  greenShift: 8,
  blueShift: 0,
}

/** The 16-byte PIXEL_FORMAT structure. */
export function pixelFormatBytes(f: PixelFormat): Buffer {
  const b = Buffer.alloc(16)
  b.writeUInt8(f.bitsPerPixel, 0)
  b.writeUInt8(f.depth, 1)
  b.writeUInt8(f.bigEndian ? 1 : 0, 2)
  b.writeUInt8(f.trueColour ? 1 : 0, 3)
  b.writeUInt16BE(f.redMax, 4)
  b.writeUInt16BE(f.greenMax, 6)
  b.writeUInt16BE(f.blueMax, 8)
  b.writeUInt8(f.redShift, 10)
  b.writeUInt8(f.greenShift, 11)
  b.writeUInt8(f.blueShift, 12)
  return b
}

/** Reads a PIXEL_FORMAT; null for one the fake cannot produce (a colour map, an odd size). */
export function parsePixelFormat(b: Buffer): PixelFormat | null {
  const bpp = b.readUInt8(0)
  if (bpp !== 8 && bpp !== 16 && bpp !== 32) return null
  if (b.readUInt8(3) === 0) return null
  return {
    bitsPerPixel: bpp,
    depth: b.readUInt8(1),
    bigEndian: b.readUInt8(2) !== 0,
    trueColour: true,
    redMax: b.readUInt16BE(4),
    greenMax: b.readUInt16BE(6),
    blueMax: b.readUInt16BE(8),
    redShift: b.readUInt8(10),
    greenShift: b.readUInt8(11),
    blueShift: b.readUInt8(12),
  }
}

/** The pixels of a rectangle in the client's format: Raw encoding's payload (§7.7.1). */
export function encodeRaw(screen: Screen, x: number, y: number, w: number, h: number, f: PixelFormat): Buffer {
  const size = f.bitsPerPixel / 8
  const out = Buffer.alloc(w * h * size)
  const scale = (v: number, max: number): number => Math.round((v * max) / 255)
  let o = 0
  for (let row = y; row < y + h; row++) {
    for (let col = x; col < x + w; col++) {
      const i = (row * screen.width + col) * 3
      const px =
        ((scale(screen.rgb[i]!, f.redMax) << f.redShift) |
          (scale(screen.rgb[i + 1]!, f.greenMax) << f.greenShift) |
          (scale(screen.rgb[i + 2]!, f.blueMax) << f.blueShift)) >>>
        0
      if (size === 4) f.bigEndian ? out.writeUInt32BE(px, o) : out.writeUInt32LE(px, o)
      else if (size === 2) f.bigEndian ? out.writeUInt16BE(px & 0xffff, o) : out.writeUInt16LE(px & 0xffff, o)
      else out.writeUInt8(px & 0xff, o)
      o += size
    }
  }
  return out
}
