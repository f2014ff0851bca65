import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import type { LightMyRequestResponse } from 'fastify'
import type { TestEnv } from '../helper.ts'

/** Shared steps of the account tests: a signed-up, verified user with its session cookie. */

export const strongPassword = (): string => `Vt7-${randomBytes(6).toString('hex')}-Qz!`

export const newEmail = (tag = 'acc'): string => `${tag}-${randomBytes(4).toString('hex')}@example.test`

/** The `oxbill_session` value a response sets ('' when it clears it), or undefined. */
export function sessionCookieOf(res: LightMyRequestResponse): string | undefined {
  const raw = res.headers['set-cookie']
  const all = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]
  const c = all.find(v => v.startsWith('oxbill_session='))
  return c === undefined ? undefined : c.slice('oxbill_session='.length).split(';')[0]
}

export function setCookieHeader(res: LightMyRequestResponse): string {
  const raw = res.headers['set-cookie']
  const all = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]
  const c = all.find(v => v.startsWith('oxbill_session='))
  assert.ok(c, `no session cookie in ${JSON.stringify(res.headers)}`)
  return c
}

export const mailsTo = (env: TestEnv, address: string) =>
  env.providers.fakes.smtp!.listMessages().filter(m => m.to.includes(address.toLowerCase()))

/** Runs the mail jobs and returns the token of the newest mail to `address` whose link goes to `page`. */
export async function tokenFromMail(env: TestEnv, address: string, page: '/verify-email' | '/reset-password') {
  await env.runner.drain()
  const mails = mailsTo(env, address)
  for (const m of [...mails].reverse()) {
    const parsed = (await env.providers.fakes.smtp!.readMessage(m.id))!
    const match = new RegExp(`${page}\\?token=([A-Za-z0-9_%-]+)`).exec(parsed.text)
    if (match) return { token: decodeURIComponent(match[1]!), subject: m.subject, text: parsed.text, html: parsed.html }
  }
  throw new Error(`no mail with a ${page} link to ${address} (${mails.length} mails)`)
}

export interface Session {
  cookie: string
  csrf: string
  userId: string
  email: string
  password: string
}

/** Signs up, reads the verification mail and verifies: a logged-in session. */
export async function signedUp(env: TestEnv, opts: { email?: string; password?: string } = {}): Promise<Session> {
  const email = opts.email ?? newEmail()
  const password = opts.password ?? strongPassword()
  const res = await env.request({ url: '/API/auth/signup', body: { email, password } })
  assert.equal(res.statusCode, 202, res.body)
  const { token } = await tokenFromMail(env, email, '/verify-email')
  const v = await env.request({ url: '/API/auth/verify-email', body: { token } })
  assert.equal(v.statusCode, 200, v.body)
  return {
    cookie: sessionCookieOf(v)!,
    csrf: v.json().csrf_token as string,
    userId: v.json().user.id as string,
    email,
    password,
  }
}

/** A request with the session cookie (and its CSRF token unless `csrf: false` or another value). */
export function asSession(
  env: TestEnv,
  s: Pick<Session, 'cookie' | 'csrf'>,
  opts: { method?: string; url: string; body?: unknown; csrf?: string | false; headers?: Record<string, string> },
) {
  const csrf = opts.csrf === undefined ? s.csrf : opts.csrf
  return env.request({
    method: opts.method ?? 'GET',
    url: opts.url,
    body: opts.body,
    headers: {
      cookie: `oxbill_session=${s.cookie}`,
      ...(csrf === false ? {} : { 'x-csrf-token': csrf }),
      ...opts.headers,
    },
  })
}

export async function login(
  env: TestEnv,
  body: Record<string, unknown>,
  opts: { remoteAddress?: string; headers?: Record<string, string> } = {},
) {
  return env.request({ url: '/API/auth/login', body, ...opts })
}
