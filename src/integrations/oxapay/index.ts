/** Public surface of the OxaPay integration; the fake is imported from `fake-server.ts` directly. */
export * from './types.ts'
export { createOxaPayClient, buildInvoiceBody, buildWhiteLabelBody, type OxaPayClientOptions } from './client.ts'
export { signBody, verifySignature } from './signature.ts'
export { parseCallback } from './callback.ts'
export {
  normalizeStatus,
  statusLabel,
  STATUS_LABELS,
  isPaidStatus,
  mapInvoice,
  mapWhiteLabel,
  mapPayment,
  mapPrices,
  mapFiatPrices,
  receivedInInvoiceCurrency,
} from './map.ts'
export { unwrapEnvelope, type OxaFailureReason } from './envelope.ts'
