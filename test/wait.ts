import { setTimeout as sleep } from 'node:timers/promises'

export interface WaitOptions {
  /** Bounds a failing test only; no test asserts how long the wait took. */
  timeoutMs?: number
  intervalMs?: number
  /** Named in the error when the condition never holds. */
  what?: string
}

/**
 * Waits until `condition` holds, checking again every `intervalMs`. For what happens on a schedule
 * a test cannot step: a worker in another process, a debounced file write, a retry whose `run_at`
 * is compared with the database's own now(). Everything else moves a test clock instead.
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  { timeoutMs = 5000, intervalMs = 10, what = 'the condition' }: WaitOptions = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await condition()) return
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(intervalMs)
  }
}
