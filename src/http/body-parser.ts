import type { FastifyRequest } from 'fastify'
import { AppError } from '../lib/errors.ts'
import { refuseNul } from './error-handler.ts'

type AnyFastify = import('fastify').FastifyInstance<any, any, any, any, any>

declare module 'fastify' {
  interface FastifyRequest {
    /** The body's bytes as received, for signatures (the payment callback). */
    rawBody?: Buffer
    /** Every Content-Type header of the request, in order (Node keeps only the first in `headers`). */
    contentTypes?: readonly string[]
  }
}

export const BODY_LIMIT = 16 * 1024

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+"
/** `type/subtype` and optional parameters (RFC 9110 §8.3.1). */
const MEDIA_TYPE = new RegExp(`^\\s*(${TOKEN}/${TOKEN})\\s*(?:;(.*))?$`, 's')
const CHARSET = /(?:^|;)\s*charset\s*=\s*"?([^";\s]*)"?/i
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/
const FORM_TYPE = 'application/x-www-form-urlencoded'
/** JSON and forms travel as UTF-8 (RFC 8259 §8.1, WHATWG URL); US-ASCII is a subset of it. */
const UTF8_NAMES = new Set(['utf-8', 'utf8', 'us-ascii'])
/** Strict: invalid UTF-8 is refused instead of silently becoming U+FFFD (a leading BOM is dropped). */
const utf8 = new TextDecoder('utf-8', { fatal: true })

interface Declared {
  mediaType: string | null
  charset: string | undefined
}

function declared(value: string): Declared {
  const m = MEDIA_TYPE.exec(value)
  if (!m) return { mediaType: null, charset: undefined }
  return {
    mediaType: m[1]!.toLowerCase(),
    charset: m[2] === undefined ? undefined : CHARSET.exec(m[2])?.[1]?.toLowerCase(),
  }
}

/** Every Content-Type header value, from the raw header list (the PHP samples send two). */
function contentTypeValues(req: FastifyRequest): string[] {
  const raw = req.raw.rawHeaders
  if (Array.isArray(raw) && raw.length > 0) {
    const out: string[] = []
    for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]!.toLowerCase() === 'content-type') out.push(raw[i + 1]!)
    return out
  }
  const h = req.headers['content-type']
  return h === undefined ? [] : [h].flat()
}

/**
 * The body rule, the same for every route (the payment callback keeps its own raw parser):
 *
 * - a declared charset other than UTF-8 (on any Content-Type header) is a 415; the bytes must be
 *   strict UTF-8 (400 `invalid_json` otherwise);
 * - a form Content-Type (`application/x-www-form-urlencoded`) is read as a form — unless the body
 *   is a JSON object or array, which is what `curl -d '{…}'` and PHP's CURLOPT_POSTFIELDS send
 *   under that default header;
 * - everything else is JSON if it parses as JSON, whatever the Content-Type says (none, `text/plain`,
 *   the PHP samples' `Content-Type: <api key>` before `Content-Type: application/json`): 0xhost's
 *   PHP backend reads the body the same way;
 * - a body that is none of these: 400 `invalid_json` if JSON (or text, or nothing) was declared,
 *   415 for a media type oxbill does not read (multipart, XML…).
 *
 * A U+0000 anywhere (a value or a key) is a 400 `validation_error`: no text column can hold it.
 * Form values arrive as strings; the schemas accept numeric strings where the docs send them
 * (`IntLike`), so both encodings are validated by the same schema.
 */
export function parseBody(raw: Buffer, contentTypes: readonly string[]): unknown {
  const types = contentTypes.map(declared)
  for (const t of types) {
    if (t.charset !== undefined && !UTF8_NAMES.has(t.charset)) {
      throw new AppError(
        'unsupported_media_type',
        `charset ${t.charset || '(empty)'} is not supported; send application/json in UTF-8`,
      )
    }
  }
  if (raw.length === 0) return undefined
  let text: string
  try {
    text = utf8.decode(raw)
  } catch {
    throw new AppError('invalid_json', 'the body is not valid UTF-8')
  }
  const json = types.some(t => t.mediaType !== null && JSON_TYPE.test(t.mediaType))
  const form = types.some(t => t.mediaType === FORM_TYPE)
  if (form && !json && !/^\s*[[{]/.test(text)) {
    return parseForm(text)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    const readable = json || form || types.length === 0 || types.some(t => t.mediaType === 'text/plain')
    if (readable) throw new AppError('invalid_json', 'the body is not valid JSON')
    // Only a well-formed media type is named: the PHP samples put the API key in this header.
    const named = types.find(t => t.mediaType !== null)?.mediaType
    throw new AppError(
      'unsupported_media_type',
      named === undefined
        ? 'the Content-Type header is not a media type and the body is not JSON; send application/json or application/x-www-form-urlencoded'
        : `Content-Type ${named} is not supported; send application/json or application/x-www-form-urlencoded`,
    )
  }
  // U+0000 can only arrive escaped (a raw control character is not valid JSON). The text test is
  // only a fast path (an escaped backslash followed by u0000 matches it too); the walk decides.
  const nul = /\\u0000/.test(text) ? refuseNul(parsed, 'body') : null
  if (nul) throw nul
  return parsed
}

/**
 * `application/x-www-form-urlencoded` (WHATWG URL §5.1) into an object of strings, strictly:
 * bad percent-encoding or percent-encoded bytes that are not UTF-8 are a 400 (URLSearchParams
 * would turn them into U+FFFD), and a field sent twice is a 400 (which one was meant?). Keys
 * become own properties (`__proto__` included), as JSON.parse makes them; U+0000 (`%00`) in a
 * key or value is a 400 `validation_error`, as in JSON.
 */
export function parseForm(text: string): Record<string, string> {
  const entries: Array<[string, string]> = []
  for (const pair of text.split('&')) {
    if (pair === '') continue
    const eq = pair.indexOf('=')
    entries.push([
      decodeFormComponent(eq === -1 ? pair : pair.slice(0, eq)),
      eq === -1 ? '' : decodeFormComponent(pair.slice(eq + 1)),
    ])
  }
  const seen = new Set<string>()
  for (const [k, v] of entries) {
    const nul = refuseNul({ [k]: v }, 'body')
    if (nul) throw nul
    if (seen.has(k)) {
      throw new AppError('validation_error', `field '${k}' is sent more than once in body`, { details: { field: k } })
    }
    seen.add(k)
  }
  return Object.fromEntries(entries)
}

function decodeFormComponent(s: string): string {
  try {
    return decodeURIComponent(s.replaceAll('+', ' '))
  } catch {
    throw new AppError(
      'invalid_json',
      'the body is not a valid form: bad percent-encoding, or bytes that are not UTF-8',
    )
  }
}

/**
 * One parser for every content type (see `parseBody`), and the raw bytes kept. Fastify refuses
 * a Content-Type that is not a media type with a 415 before any parser runs, and reads only the
 * first of several: so the header is first reduced, for Fastify, to the first well-formed media
 * type (or removed), and the parser reads every value from `req.contentTypes`.
 */
export function registerBodyParser(app: AnyFastify): void {
  app.addHook('preParsing', async (req: FastifyRequest, _reply: unknown, payload: unknown) => {
    const values = contentTypeValues(req)
    req.contentTypes = values
    const usable = values.map(declared).find(t => t.mediaType !== null)?.mediaType ?? null
    if (usable === null) delete req.raw.headers['content-type']
    else req.raw.headers['content-type'] = usable
    return payload
  })
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer' },
    (req: FastifyRequest, body: Buffer | string, done: (err: Error | null, body?: unknown) => void) => {
      const raw = body as Buffer
      req.rawBody = raw
      try {
        done(null, parseBody(raw, req.contentTypes ?? contentTypeValues(req)))
      } catch (err) {
        done(err as Error, undefined)
      }
    },
  )
}
