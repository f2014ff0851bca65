/**
 * Browser tests' harness: a real oxbill (fakes, in-process worker, the built portal) on an
 * ephemeral loopback port, one Chromium per test file, a fresh context per test, and the checks
 * playwright-core lacks (`eventually`, axe, screenshots). Always PGlite in memory: the browser
 * suite runs once (scripts/test.mjs gives it its own pass), whatever OXBILL_TEST_DB says.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core'
import axe from 'axe-core'
import * as OTPAuth from 'otpauth'
import { loadConfig } from '../../src/config.ts'
import { buildOxbill, type Built } from '../../src/app/build.ts'
import { connectDb } from '../../src/db/connect.ts'
import { silentLogger } from '../../src/lib/logger.ts'
import { seedCatalog } from '../../src/seed/seed-demo.ts'
import { issueApiKey } from '../../src/domain/auth/api-keys.ts'
import { newUuid } from '../../src/lib/ids.ts'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const WEB_DIR = join(ROOT, 'web')
const DIST_DIR = join(WEB_DIR, 'dist')
export const ARTIFACTS_DIR = join(ROOT, 'test-artifacts')
const SHOTS_DIR = join(ARTIFACTS_DIR, 'screenshots')

/** The launch flags of a closed-network machine: no background fetches, a fresh profile each run. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

const missingChromium = (): string =>
  `Chromium not found at ${CHROMIUM_PATH}: install Debian's package (apt-get install -y --no-install-recommends chromium; .ci/run does) or set CHROMIUM_PATH`

/**
 * The `skip` option of each browser suite. Without Chromium: under CI=true the suite runs and its
 * `before` fails with the reason (a CI that silently skips its browser tests proves nothing);
 * elsewhere the suite is skipped, with a banner on stderr so nobody mistakes it for a pass.
 */
export function skipWithoutChromium(): string | false {
  if (existsSync(CHROMIUM_PATH)) return false
  if (process.env.CI === 'true') return false
  process.stderr.write(`\n*** SKIPPED: browser tests (${missingChromium()}) ***\n\n`)
  return `SKIPPED: ${missingChromium()}`
}

// ---------------------------------------------------------------------------------------------
// The built portal

/**
 * Builds web/dist with the project's own script (scripts/ensure-web.mjs: only when it is missing
 * or older than its sources) and returns a private copy of it for one test file. Test files
 * starting at once share one build: the first takes a lock directory, the others wait for it. The
 * copy is what the file's oxbill serves, so a rebuild started later (another file after a source
 * changed, `npm start`) cannot empty web/dist under a running test.
 */
export async function ensureWebBuilt(): Promise<string> {
  const lock = join(WEB_DIR, '.e2e-build.lock')
  for (const deadline = Date.now() + 180_000; ;) {
    try {
      mkdirSync(lock)
      break
    } catch {
      // A build killed mid-way leaves its lock: one older than any build is taken over.
      if (existsSync(lock) && statSync(lock).mtimeMs < Date.now() - 240_000) {
        rmSync(lock, { recursive: true, force: true })
      }
      if (Date.now() > deadline) throw new Error(`another build of web/dist held ${lock} for 3 minutes`)
      await sleep(250)
    }
  }
  try {
    const res = spawnSync(process.execPath, [join(ROOT, 'scripts', 'ensure-web.mjs')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 170_000,
    })
    if (res.status !== 0) {
      throw new Error(`building web/dist failed (exit ${res.status}):\n${res.stdout}\n${res.stderr}`)
    }
    if (!existsSync(join(DIST_DIR, 'index.html'))) throw new Error(`no ${DIST_DIR}/index.html after the build`)
    const copy = mkdtempSync(join(tmpdir(), 'oxbill-e2e-web-'))
    cpSync(DIST_DIR, copy, { recursive: true })
    if (!existsSync(join(copy, 'index.html'))) throw new Error(`web/dist changed while it was copied; run again`)
    return copy
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

// ---------------------------------------------------------------------------------------------
// Waiting

export interface EventuallyOptions {
  timeoutMs?: number
  intervalMs?: number
  /** Named in the error. */
  what?: string
}

/**
 * Retries `check` until it returns something other than `false` and does not throw; returns that.
 * playwright-core has no `expect`: this is the one polling assertion, bounded, naming what it
 * waited for and the last failure.
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 100, what = 'the condition' }: EventuallyOptions = {},
): Promise<Exclude<T, false>> {
  const deadline = Date.now() + timeoutMs
  let last: unknown = 'it returned false'
  for (;;) {
    try {
      const v = await check()
      if (v !== false) return v as Exclude<T, false>
      last = 'it returned false'
    } catch (err) {
      last = err
    }
    if (Date.now() >= deadline) {
      const why = last instanceof Error ? last.message : String(last)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${why}`)
    }
    await sleep(intervalMs)
  }
}

/** The locator's trimmed text once it is visible. */
export async function textOf(locator: Locator, timeout = 10_000): Promise<string> {
  await locator.waitFor({ state: 'visible', timeout })
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim()
}

/** Waits until the locator's text matches (or includes) `want`; returns the text. */
export async function waitForText(locator: Locator, want: RegExp | string, timeoutMs = 10_000): Promise<string> {
  return eventually(
    async () => {
      const t = await textOf(locator, 1000)
      if (typeof want === 'string' ? t.includes(want) : want.test(t)) return t
      throw new Error(`text was ${JSON.stringify(t)}`)
    },
    { timeoutMs, what: `text ${String(want)}` },
  )
}

// ---------------------------------------------------------------------------------------------
// Artifacts and accessibility

/** A full-page screenshot at test-artifacts/screenshots/<name>.png (git-ignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS_DIR, { recursive: true })
  const safe = name.replace(/[^a-z0-9._-]+/gi, '-').toLowerCase()
  await page.screenshot({ path: join(SHOTS_DIR, `${safe}.png`), fullPage: true })
}

/** Removes this file's screenshots of an earlier run (`prefix` names the file's), so none is stale. */
export function clearScreenshots(prefix: string): void {
  if (!existsSync(SHOTS_DIR)) return
  for (const name of readdirSync(SHOTS_DIR)) {
    if (name.startsWith(prefix)) rmSync(join(SHOTS_DIR, name), { force: true })
  }
}

interface AxeFinding {
  id: string
  impact: string | null
  help: string
  helpUrl: string
  nodes: Array<{ target: string[]; failureSummary: string }>
}

/** The page shows a `main` and an `h1`: else it is near-empty, and an axe pass over it proves nothing. */
export async function waitForPageShell(page: Page, timeout = 10_000): Promise<void> {
  try {
    await page.getByRole('main').first().waitFor({ state: 'visible', timeout })
    await page.getByRole('heading', { level: 1 }).first().waitFor({ state: 'visible', timeout })
  } catch {
    const body = (
      (await page
        .locator('body')
        .textContent()
        .catch(() => '')) ?? ''
    )
      .replace(/\s+/g, ' ')
      .slice(0, 300)
    throw new Error(
      `near-empty page at ${page.url()}: no visible main landmark and h1 within ${timeout} ms (body: ${JSON.stringify(body)})`,
    )
  }
}

/**
 * Runs axe-core on the page (once it shows a `main` and an `h1`) or on one element (an open
 * dialog), and throws a readable list of every serious or critical violation. `label` names
 * the page in the message.
 */
export async function assertAccessible(page: Page, label: string, within?: Locator): Promise<void> {
  if (within) await within.waitFor({ state: 'visible', timeout: 10_000 })
  else await waitForPageShell(page)
  const injected = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined')
  if (!injected) await page.evaluate(axe.source)
  const handle = within ? await within.elementHandle() : null
  const found = await page.evaluate(
    async ([el]) => {
      const a = (window as unknown as { axe: typeof axe }).axe
      const res = await a.run(el ?? document, { resultTypes: ['violations'] })
      return res.violations.map(v => ({
        id: v.id,
        impact: v.impact ?? null,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map(n => ({ target: n.target.map(String), failureSummary: n.failureSummary ?? '' })),
      }))
    },
    [handle] as const,
  )
  await handle?.dispose()
  const bad = (found as AxeFinding[]).filter(v => v.impact === 'serious' || v.impact === 'critical')
  if (bad.length === 0) return
  const lines = bad.flatMap(v => [
    `- [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`,
    ...v.nodes
      .slice(0, 5)
      .map(n => `    at ${n.target.join(' ')}: ${n.failureSummary.split('\n').slice(0, 3).join(' / ')}`),
    ...(v.nodes.length > 5 ? [`    … and ${v.nodes.length - 5} more`] : []),
  ])
  throw new Error(`${label} (${page.url()}): ${bad.length} serious/critical axe violation(s):\n${lines.join('\n')}`)
}

/** Screenshot, then axe: what every visited page gets. */
export async function visited(page: Page, name: string): Promise<void> {
  await waitForPageShell(page)
  await screenshot(page, name)
  await assertAccessible(page, name)
}

// ---------------------------------------------------------------------------------------------
// TOTP

/** The current code for a base32 secret (or an otpauth:// URI), as an authenticator app computes it. */
export function totpCode(secretOrUri: string, at: number = Date.now()): string {
  const totp = secretOrUri.startsWith('otpauth://')
    ? OTPAuth.URI.parse(secretOrUri)
    : new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secretOrUri.replace(/\s+/g, '')), digits: 6, period: 30 })
  if (!(totp instanceof OTPAuth.TOTP)) throw new Error('not a TOTP secret')
  return totp.generate({ timestamp: at })
}

/**
 * An authenticator app for one secret that never repeats itself: a server refuses a code whose
 * 30 s step is not later than the last one it accepted (replay), and accepts one step either side,
 * so each `next()` is the current step's code, or the next step's once the current one was used.
 */
export class Authenticator {
  private lastStep = -Infinity
  constructor(readonly secret: string) {}
  next(): string {
    const now = Math.floor(Date.now() / 30_000)
    for (const step of [now, now + 1]) {
      if (step > this.lastStep) {
        this.lastStep = step
        return totpCode(this.secret, step * 30_000)
      }
    }
    throw new Error('both steps the server accepts now were already used; wait for the next one')
  }
}

// ---------------------------------------------------------------------------------------------
// The server

export interface ApiAnswer {
  status: number
  body: Record<string, unknown>
  headers: Headers
}

export interface SessionLogin {
  email: string
  password: string
  userId: string
  csrf: string
  /** The raw `oxbill_session` value (for API calls made from the test, not the browser). */
  cookie: string
}

export interface E2E {
  baseUrl: string
  built: Built
  browser: Browser
  /** An operator key, to seed what a customer cannot make for themselves (balance). */
  adminKey: string
  /** A fresh context: en-GB, UTC, light theme, reduced motion; cookies of `login` when given. */
  newContext(login?: SessionLogin): Promise<BrowserContext>
  /** One HTTP call to oxbill (JSON in and out); `key` or a session's cookie and CSRF token. */
  api(method: string, path: string, opts?: { body?: unknown; key?: string; session?: SessionLogin }): Promise<ApiAnswer>
  /** The newest captured mail to `address` whose subject matches (waits for it). */
  mailTo(
    address: string,
    subject?: RegExp,
    opts?: { after?: number },
  ): Promise<{ subject: string; text: string; html: string }>
  /** The first link in a captured mail that goes to `path` (e.g. `/verify-email`). */
  linkIn(mail: { text: string; html: string }, path: string): string
  /** A customer who signed up and verified their address, all through the API; with `balance` EUR credited. */
  seedCustomer(opts?: { balance?: string; email?: string; password?: string }): Promise<SessionLogin>
  /** Logs in through the API (optionally with a TOTP code). */
  login(email: string, password: string, totp?: string): Promise<SessionLogin>
  close(): Promise<void>
}

let counter = 0
/** A unique address per call (per file, per process). */
export function uniqueEmail(tag = 'customer'): string {
  counter += 1
  return `${tag}-${process.pid}-${counter}-${newUuid().slice(0, 6)}@example.com`
}
export const STRONG_PASSWORD = 'correct horse battery staple 42'

function sessionCookieFrom(headers: Headers): string | undefined {
  for (const c of headers.getSetCookie()) {
    const m = /^oxbill_session=([^;]*)/.exec(c)
    if (m && m[1] !== '') return m[1]
  }
  return undefined
}

/** Starts oxbill (PGlite in memory, fakes, worker in-process) and one Chromium. */
export async function startE2E(opts: { env?: Record<string, string> } = {}): Promise<E2E> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(missingChromium())
  const webDir = await ensureWebBuilt()
  const config = loadConfig([], {
    DATA_DIR: 'memory://',
    FAKE_PROVIDERS: 'true',
    SEED_DEMO: 'false',
    WEB_DIST_DIR: webDir,
    IN_PROCESS_WORKER: 'true',
    WORKER_POLL_MS: '50',
    NOTIFY_POLL_MS: '50',
    PROVISION_DEADLINE_MS: '5000',
    JOB_MAX_ATTEMPTS: '3',
    RATE_LIMIT_PER_SECOND: '0',
    // Webhook endpoints the tests register point at a closed loopback port: deliveries stay on this machine.
    WEBHOOK_ALLOW_CIDRS: '127.0.0.0/8',
    WEBHOOK_ALLOW_HTTP: 'true',
    LOG_LEVEL: 'error',
    ...opts.env,
  })
  const db = await connectDb({ dataDir: 'memory://' })
  const built = await buildOxbill(config, {
    logger: silentLogger,
    db,
    fakeTuning: {
      solusvm: { createDelayMs: 200, taskDelayMs: 100 },
      pollIntervalMs: 50,
      oxapayRetryScheduleMs: [100, 200, 400, 800],
    },
    runnerTuning: { backoffBaseMs: 20, backoffCapMs: 200, startTimeoutMs: 10_000, taskTimeoutMs: 10_000 },
  })
  let browser: Browser | undefined
  try {
    await built.app.listen({ port: 0, host: '127.0.0.1' })
    built.runner.start()
    built.notifier.start()
    await seedCatalog(built.deps.db)
    // The operator's key is the one thing made below the API: every installation starts from one
    // made on the command line (`oxbill keys create`), which does exactly this.
    const adminId = newUuid()
    await built.deps.db
      .insertInto('users')
      .values({ id: adminId, username: 'operator', email: 'operator@example.com' })
      .execute()
    const adminKey = (await issueApiKey(built.deps.db, { userId: adminId, scopes: ['admin'] })).key
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS })
    const addr = built.app.server.address()
    if (addr === null || typeof addr === 'string') throw new Error('oxbill is not listening')
    const baseUrl = `http://127.0.0.1:${addr.port}`
    const b = browser

    const api: E2E['api'] = async (method, path, o = {}) => {
      const headers: Record<string, string> = {}
      if (o.body !== undefined) headers['content-type'] = 'application/json'
      if (o.key !== undefined) headers['x-api-key'] = o.key
      if (o.session) {
        headers.cookie = `oxbill_session=${o.session.cookie}`
        headers['x-csrf-token'] = o.session.csrf
      }
      const res = await fetch(new URL(path, baseUrl), {
        method,
        headers,
        ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
      })
      const text = await res.text()
      let body: Record<string, unknown> = {}
      try {
        body = JSON.parse(text) as Record<string, unknown>
      } catch {
        body = { raw: text }
      }
      return { status: res.status, body, headers: res.headers }
    }
    const expectOk = (what: string, r: ApiAnswer, ...ok: number[]): ApiAnswer => {
      if (!ok.includes(r.status)) throw new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 500)}`)
      return r
    }

    const mailbox = built.deps.devMail
    const mailTo: E2E['mailTo'] = async (address, subject, o = {}) => {
      if (!mailbox) throw new Error('no mail sink: FAKE_PROVIDERS without SMTP_URL should start one')
      const want = address.toLowerCase()
      const rec = await eventually(
        () => {
          const all = mailbox
            .listMessages()
            .filter(
              r =>
                r.to.some(t => t.toLowerCase() === want) &&
                (subject === undefined || subject.test(r.subject)) &&
                (o.after === undefined || Date.parse(r.received_at) >= o.after),
            )
          return all.at(-1) ?? false
        },
        { timeoutMs: 15_000, what: `a mail to ${address}${subject ? ` with subject ${String(subject)}` : ''}` },
      )
      const m = await mailbox.readMessage(rec.id)
      if (!m) throw new Error(`mail ${rec.id} vanished`)
      return { subject: m.subject, text: m.text, html: m.html }
    }
    const linkIn: E2E['linkIn'] = (mail, path) => {
      const re = new RegExp(`https?://[^\\s"'<>]+${path.replace(/[/.?]/g, '\\$&')}\\?token=[^\\s"'<>]+`)
      const m = re.exec(mail.text) ?? re.exec(mail.html.replace(/&amp;/g, '&'))
      if (!m) throw new Error(`no ${path} link in the mail:\n${mail.text.slice(0, 1000)}`)
      return m[0]
    }
    const tokenOf = (link: string): string => {
      const t = new URL(link).searchParams.get('token')
      if (!t) throw new Error(`no token in ${link}`)
      return t
    }

    const login: E2E['login'] = async (email, password, totp) => {
      const r = expectOk(
        'login',
        await api('POST', '/API/auth/login', { body: { email, password, ...(totp ? { totp_code: totp } : {}) } }),
        200,
      )
      const cookie = sessionCookieFrom(r.headers)
      if (!cookie) throw new Error('login answered no oxbill_session cookie')
      const user = r.body.user as { id: string }
      return { email, password, userId: user.id, csrf: String(r.body.csrf_token), cookie }
    }

    const seedCustomer: E2E['seedCustomer'] = async (o = {}) => {
      const email = o.email ?? uniqueEmail()
      const password = o.password ?? STRONG_PASSWORD
      const since = Date.now() - 1000
      expectOk('signup', await api('POST', '/API/auth/signup', { body: { email, password } }), 202)
      const mail = await mailTo(email, /verif|confirm/i, { after: since })
      const v = expectOk(
        'verify-email',
        await api('POST', '/API/auth/verify-email', { body: { token: tokenOf(linkIn(mail, '/verify-email')) } }),
        200,
      )
      const cookie = sessionCookieFrom(v.headers)
      if (!cookie) throw new Error('verify-email answered no oxbill_session cookie')
      const user = v.body.user as { id: string }
      const s: SessionLogin = { email, password, userId: user.id, csrf: String(v.body.csrf_token), cookie }
      if (o.balance !== undefined) {
        expectOk(
          'balance adjustment',
          await api('POST', '/API/admin/balance-adjustments', {
            key: adminKey,
            body: { user_id: s.userId, amount: o.balance, reason: 'browser test funds' },
          }),
          200,
          201,
        )
      }
      return s
    }

    const newContext: E2E['newContext'] = async session => {
      const ctx = await b.newContext({
        baseURL: baseUrl,
        locale: 'en-GB',
        timezoneId: 'UTC',
        colorScheme: 'light',
        reducedMotion: 'reduce',
        viewport: { width: 1280, height: 800 },
      })
      ctx.setDefaultTimeout(10_000)
      if (session) {
        await ctx.addCookies([
          { name: 'oxbill_session', value: session.cookie, url: baseUrl, httpOnly: true, sameSite: 'Lax' },
        ])
      }
      return ctx
    }

    return {
      baseUrl,
      built,
      browser: b,
      adminKey,
      newContext,
      api,
      mailTo,
      linkIn,
      seedCustomer,
      login,
      close: async () => {
        await b.close().catch(() => {})
        await built.close()
        await db.close()
        rmSync(webDir, { recursive: true, force: true })
      },
    }
  } catch (err) {
    await browser?.close().catch(() => {})
    await built.close().catch(() => {})
    await db.close().catch(() => {})
    rmSync(webDir, { recursive: true, force: true })
    throw err
  }
}

/** Writes a note next to the screenshots (e.g. the journey's timings), for whoever reads the artifacts. */
export function writeArtifact(name: string, text: string): void {
  mkdirSync(ARTIFACTS_DIR, { recursive: true })
  writeFileSync(join(ARTIFACTS_DIR, name), text)
}
