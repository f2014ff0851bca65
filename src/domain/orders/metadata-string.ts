/**
 * An order's details as the docs print `metadata`: one string of `key=value` pairs joined by
 * ", " (`networkId=…, name=Anonymous ASN, billing_cycle=yearly`). Clients written against the docs
 * treat it as a string, so it stays one: empty when there is nothing to show. Only flat values are
 * listed, and nothing that names a password or a secret — a password is shown once, elsewhere.
 * The structured details travel beside it, under another key.
 */
export function metadataString(details: Record<string, unknown> | null | undefined): string {
  if (details === null || details === undefined) return ''
  // Keys in alphabetical order: the database (jsonb) keeps its own order, the answer should not depend on it.
  return Object.entries(details)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .filter(
      ([k, v]) =>
        !/password|secret/i.test(k) && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'),
    )
    .map(([k, v]) => `${k}=${String(v).replace(/[\r\n]+/g, ' ')}`)
    .join(', ')
}
