import { setTimeout as sleep } from 'node:timers/promises'
import { AppError } from '../lib/errors.ts'
import type { Logger } from '../lib/logger.ts'

/**
 * One place where oxbill talks HTTP to a provider (SolusVM, Plesk, OxaPay): a timeout on every
 * call, bounded retries with backoff for idempotent calls, and errors classified as retryable
 * or permanent. Bodies are never logged, so passwords, tokens and keys cannot reach the logs.
 */
export interface HttpClientOptions {
  /** Provider name used in logs and error details ("solusvm", "plesk", "oxapay"). */
  provider: string
  baseUrl: string
  headers: Record<string, string>
  timeoutMs: number
  /** Extra attempts after the first, only for idempotent requests. */
  retries: number
  backoffMs: number
  logger: Logger
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  path: string
  body?: string
  headers?: Record<string, string>
  /**
   * A request that may be repeated without a second side effect. Only these are retried here:
   * a create whose response was lost must be looked up by reference by the caller, never resent.
   */
  idempotent?: boolean
}

export interface HttpResponse {
  status: number
  text: string
  headers: Headers
}

export class HttpClient {
  constructor(private readonly opts: HttpClientOptions) {}

  /** Sends a request; resolves with any HTTP status, rejects only with a classified AppError. */
  async send(req: HttpRequest): Promise<HttpResponse> {
    const idempotent = req.idempotent ?? (req.method === 'GET' || req.method === 'PUT' || req.method === 'DELETE')
    const attempts = idempotent ? this.opts.retries + 1 : 1
    let last: AppError | undefined
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const res = await this.once(req, attempt)
        if (res.status >= 500 || res.status === 429) {
          last = this.error(`${this.opts.provider} answered HTTP ${res.status}`, true, { status: res.status })
        } else {
          return res
        }
      } catch (err) {
        if (err instanceof AppError) throw err
        last = this.error(`${this.opts.provider} unreachable: ${describe(err)}`, true, { network: true })
      }
      if (attempt < attempts) await sleep(this.opts.backoffMs * 2 ** (attempt - 1))
    }
    throw last ?? new AppError('internal_error', `${this.opts.provider}: no attempt was made`)
  }

  private async once(req: HttpRequest, attempt: number): Promise<HttpResponse> {
    const started = performance.now()
    const url = new URL(
      req.path.replace(/^\//, ''),
      this.opts.baseUrl.endsWith('/') ? this.opts.baseUrl : `${this.opts.baseUrl}/`,
    )
    try {
      const res = await fetch(url, {
        method: req.method,
        headers: { ...this.opts.headers, ...req.headers },
        body: req.body,
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      })
      const text = await res.text()
      this.opts.logger.debug(
        {
          provider: this.opts.provider,
          method: req.method,
          path: url.pathname,
          status: res.status,
          attempt,
          ms: Math.round(performance.now() - started),
        },
        'provider call',
      )
      return { status: res.status, text, headers: res.headers }
    } catch (err) {
      this.opts.logger.warn(
        {
          provider: this.opts.provider,
          method: req.method,
          path: url.pathname,
          attempt,
          ms: Math.round(performance.now() - started),
          error: describe(err),
        },
        'provider call failed',
      )
      throw err
    }
  }

  /** Builds a provider error; messages carry status and provider text, never request bodies. */
  error(message: string, retryable: boolean, details: Record<string, unknown> = {}): AppError {
    return new AppError(retryable ? 'provider_unavailable' : 'provider_error', message, {
      retryable,
      details: { provider: this.opts.provider, ...details },
    })
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError') return 'timed out'
    const cause = (err as { cause?: { code?: string } }).cause
    return cause?.code ?? err.message
  }
  return String(err)
}
