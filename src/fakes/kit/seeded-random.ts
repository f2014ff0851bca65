/** A seeded PRNG; `seededRandom(r.state())` continues exactly where `r` stands (state files). */
export type SeededRandom = (() => number) & { state: () => number }

/**
 * Small seeded PRNG (mulberry32) shared by the fakes, so fault rates, GUIDs and track ids repeat
 * for a given seed and resume after a reload.
 */
export function seededRandom(seed: number): SeededRandom {
  let a = seed >>> 0
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return Object.assign(next, { state: () => a })
}
