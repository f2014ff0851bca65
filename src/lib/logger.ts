import pino, { type Logger } from 'pino'

export type { Logger }

/**
 * Paths redacted from every log line. Provider adapters never log bodies, but request logs carry
 * headers, and a stray object with one of these keys must not leak a secret.
 */
export const REDACT_PATHS = [
  'req.headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers.hmac',
  '*.password',
  '*.ftp_password',
  '*.api_key',
  '*.apiKey',
  '*.token',
  '*.secret',
  '*.merchantKey',
]

/** Logs go to stderr so that CLI commands can print machine-readable JSON on stdout. */
export function createLogger(level: string = 'info'): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, pino.destination(2))
}

/** A logger that drops everything, for tests that do not assert on logs. */
export const silentLogger: Logger = pino({ level: 'silent' })
