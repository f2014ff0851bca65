// Brand colours come from configuration; the portal keeps text readable whatever they are
// (WCAG 2 contrast ≥ 4.5:1, which the browser tests' axe run checks).

export function parseHex(hex: string): [number, number, number] | null {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex)
  return m ? [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)] : null
}

function luminance([r, g, b]: [number, number, number]): number {
  const lin = (c: number) => {
    const s = c / 255
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/** WCAG contrast ratio of two #rrggbb colours (1 to 21); 1 when either is unreadable. */
export function contrastRatio(a: string, b: string): number {
  const ca = parseHex(a)
  const cb = parseHex(b)
  if (!ca || !cb) return 1
  const [hi, lo] = [luminance(ca), luminance(cb)].sort((x, y) => y - x) as [number, number]
  return (hi + 0.05) / (lo + 0.05)
}

/** White or near-black, whichever reads better on `background`. */
export function textOn(background: string): '#ffffff' | '#111827' {
  return contrastRatio(background, '#ffffff') >= contrastRatio(background, '#111827') ? '#ffffff' : '#111827'
}

/**
 * Darkens `hex` in steps until it reaches `ratio` against `background` (links and outlines on the
 * page). The default background is the greyest surface text sits on (styles.css `#f3f4f6`), so
 * the colour also reads on white and on the page background.
 */
export function readableOnWhite(hex: string, ratio = 4.5, background = '#f3f4f6'): string {
  let c = parseHex(hex)
  if (!c) return '#1d4ed8'
  for (let i = 0; i < 20 && contrastRatio(toHex(c), background) < ratio; i++) {
    c = c.map(v => Math.round(v * 0.85)) as [number, number, number]
  }
  return toHex(c)
}

function toHex(c: [number, number, number]): string {
  return `#${c.map(v => v.toString(16).padStart(2, '0')).join('')}`
}
