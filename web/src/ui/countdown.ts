import { useCallback, useEffect, useState } from 'react'

/** Seconds left of a wait (a 429's Retry-After); `start(n)` begins one, 0 when there is none. */
export function useCountdown(): { left: number; start: (seconds: number) => void } {
  const [until, setUntil] = useState(0)
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (until <= now) return
    const timer = setTimeout(() => setNow(Date.now()), 1000)
    return () => clearTimeout(timer)
  }, [until, now])
  const start = useCallback((seconds: number) => {
    const at = Date.now()
    setNow(at)
    setUntil(at + seconds * 1000)
  }, [])
  return { left: Math.max(0, Math.ceil((until - now) / 1000)), start }
}
