/**
 * Runs independent look-ups side by side, but reports failures in argument order, so which error
 * a request gets (403 before 404, say) never depends on which query happened to answer first.
 */
export async function allInOrder<T extends readonly unknown[]>(promises: {
  [K in keyof T]: Promise<T[K]>
}): Promise<T> {
  const settled = await Promise.allSettled(promises)
  for (const s of settled) if (s.status === 'rejected') throw s.reason
  return settled.map(s => (s as PromiseFulfilledResult<unknown>).value) as unknown as T
}
