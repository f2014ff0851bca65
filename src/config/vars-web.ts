import { fileURLToPath } from 'node:url'
import { Type } from 'typebox'
import { envVar } from './define.ts'

/** The built portal of this checkout (`npm run build:web` writes it; `npm install` runs that). */
export const DEFAULT_WEB_DIST_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url))

const colour = {
  type: Type.String({ pattern: '^#[0-9a-fA-F]{6}$' }),
  normalize: (s: string) => s.trim().toLowerCase(),
  must: 'be a colour written #rrggbb (e.g. #1d4ed8)',
}

/** A same-origin path (`/brand/logo.svg`) or an http(s) URL; nothing a CSP could not name. */
function isLogoUrl(raw: string): boolean {
  if (/^\/(?!\/)[^\s\\]*$/.test(raw)) return true
  try {
    const u = new URL(raw)
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.username === '' && u.password === ''
  } catch {
    return false
  }
}

/** The customer portal served at `/` and its branding (see `./schema.ts`). */
export const WEB_VARS = {
  WEB_DIST_DIR: envVar({
    group: 'server',
    field: 'web.distDir',
    type: Type.String({ minLength: 1 }),
    default: DEFAULT_WEB_DIST_DIR,
    shown: '`web/dist` of this installation',
    doc: 'the built web portal served at `/` (`npm run build:web`); missing, the API still runs and `/` says how to build it',
  }),
  BRAND_NAME: envVar({
    group: 'server',
    field: 'web.brandName',
    // Shown in the page title and header: one line, no control characters.
    type: Type.String({ pattern: '^[^\\x00-\\x1f\\x7f]{1,60}$' }),
    default: 'oxbill',
    normalize: s => s.trim(),
    must: 'be 1 to 60 characters on one line (e.g. Example Hosting)',
    doc: "the portal's name (header, page titles), from `GET /API/branding`",
  }),
  BRAND_LOGO_URL: envVar({
    group: 'server',
    field: 'web.brandLogoUrl',
    type: Type.Refine(Type.String({ maxLength: 2000 }), isLogoUrl),
    shown: 'none (the name only)',
    normalize: s => s.trim(),
    must: 'be an http(s) URL or a path starting with / (e.g. https://example.com/logo.svg)',
    doc: "the portal header's logo; an absolute URL's origin is added to the portal's Content-Security-Policy `img-src`",
  }),
  BRAND_PRIMARY_COLOR: envVar({
    group: 'server',
    field: 'web.brandPrimaryColor',
    ...colour,
    default: '#1d4ed8',
    doc: "the portal's primary colour (header, buttons, links); pick one with at least 4.5:1 contrast against white",
  }),
  BRAND_ACCENT_COLOR: envVar({
    group: 'server',
    field: 'web.brandAccentColor',
    ...colour,
    default: '#0f766e',
    doc: "the portal's accent colour (focus rings, highlights)",
  }),
}
