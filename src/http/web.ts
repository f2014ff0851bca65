import { existsSync, readFileSync, statSync } from 'node:fs'
import { join, posix } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config.ts'
import type { Logger } from '../lib/logger.ts'
import { consoleSocketOrigin } from '../integrations/solusvm/client.ts'

/** Paths the portal never answers: the API's own 404 (JSON) stays the answer there. */
const RESERVED = [/^\/api(\/|$)/i, /^\/docs(\/|$)/, /^\/openapi\.json(\/|$)/, /^\/dev(\/|$)/, /^\/checkout(\/|$)/]

/** Vite puts every hashed file under assets/: its name changes with its content, so it never goes stale. */
const ASSET_CACHE = 'public, max-age=31536000, immutable'

/**
 * The portal's Content-Security-Policy: everything from this origin only. Vite's build needs no
 * inline script (the module preload polyfill is inside the entry chunk). Styles allow inline
 * because Radix's dialog locks scrolling with a `<style>` element it writes at run time; scripts,
 * the thing CSP is there to stop, do not. The logo may live on another origin (BRAND_LOGO_URL).
 * The server console page's VNC client (noVNC) opens the SolusVM master's websocket itself, so
 * that one origin (`ws://` or `wss://` as the adapter builds the console URL) joins connect-src.
 */
export function contentSecurityPolicy(logoUrl: string | undefined, consoleSocketOrigin?: string): string {
  const logoOrigin = logoUrl !== undefined && !logoUrl.startsWith('/') ? ` ${new URL(logoUrl).origin}` : ''
  const consoleSource = consoleSocketOrigin === undefined ? '' : ` ${consoleSocketOrigin}`
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data:${logoOrigin}`,
    "font-src 'self'",
    `connect-src 'self'${consoleSource}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ')
}

const MISSING_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Portal not built</title></head>
<body><main><h1>The web portal is not built</h1>
<p>Run <code>npm run build:web</code> in the oxbill directory (or set <code>WEB_DIST_DIR</code>), then reload.
The API is running: see <a href="/docs">/docs</a>.</p></main></body></html>
`

export interface WebApp {
  /** Answers a GET/HEAD no route took (assets, deep links); false when the API's 404 should answer. */
  serve(req: FastifyRequest, reply: FastifyReply): boolean
}

/**
 * Serves the built portal (`web/dist`) at `/` from the 404 handler rather than from routes of its
 * own: the API keeps every route it has (and its JSON 404 under /API), the route list and the
 * OpenAPI document stay the API's, and any other GET is a deep link that gets index.html (SPA).
 */
export async function registerWeb(
  app: FastifyInstance,
  config: Readonly<Config>,
  logger: Logger,
  opts: { solusvmUrl?: string | undefined } = {},
): Promise<WebApp> {
  const root = config.web.distDir
  // Derived once: SOLUSVM_URL, or the in-process fake's address (zero-setup mode).
  const solusvmUrl = opts.solusvmUrl ?? config.solusvm.url
  const csp = contentSecurityPolicy(
    config.web.brandLogoUrl,
    solusvmUrl === undefined ? undefined : consoleSocketOrigin(solusvmUrl),
  )
  const built = existsSync(join(root, 'index.html'))
  if (!built) logger.warn({ dir: root }, 'web portal not built (npm run build:web); / shows how to build it')
  // Only for reply.sendFile (ranges, ETags, MIME types, traversal checks); no routes of its own.
  await app.register(fastifyStatic, { root, serve: false })

  const htmlHeaders = (reply: FastifyReply): FastifyReply =>
    reply
      .header('content-security-policy', csp)
      .header('x-frame-options', 'DENY')
      .header('referrer-policy', 'same-origin')
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')

  return {
    serve(req, reply) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false
      const raw = req.url.split('?')[0] ?? '/'
      if (RESERVED.some(r => r.test(raw))) return false
      let path: string
      try {
        path = decodeURIComponent(raw)
      } catch {
        return false
      }
      const rel = posix.normalize(path).replace(/^\/+/, '')
      if (rel !== '' && !rel.includes('\0') && !rel.split('/').includes('..') && rel !== 'index.html') {
        const file = join(root, rel)
        if (existsSync(file) && statSync(file).isFile()) {
          const asset = rel.startsWith('assets/')
          void reply
            .header('x-content-type-options', 'nosniff')
            .header('cache-control', asset ? ASSET_CACHE : 'public, max-age=3600')
            .sendFile(rel, { cacheControl: false })
          return true
        }
        // A hashed file that is gone (an older build's chunk): a 404, never index.html as script.
        if (rel.startsWith('assets/')) return false
      }
      // Read per request: a rebuild (npm run build:web) is picked up without a restart, and a
      // build that is missing (or being rewritten) shows how to build it instead of failing.
      let html: Buffer
      try {
        html = readFileSync(join(root, 'index.html'))
      } catch {
        void htmlHeaders(reply).status(503).send(MISSING_PAGE)
        return true
      }
      void htmlHeaders(reply).status(200).send(html)
      return true
    },
  }
}
