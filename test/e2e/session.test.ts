// The browser side of session security: the cookie as the browser stores it, CSRF on a request
// the page itself makes, and "log out everywhere" reaching another browser at its next navigation.
// The first test is the only one that logs in through the form; the rest log in through the API.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import {
  clearScreenshots,
  eventually,
  skipWithoutChromium,
  startE2E,
  visited,
  type E2E,
  type SessionLogin,
} from './harness.ts'
import { LoginPage } from './pages/auth.ts'
import { SessionsPage } from './pages/account.ts'
import { PortalShell } from './pages/shell.ts'

describe('sessions in the browser', { skip: skipWithoutChromium() }, () => {
  let e: E2E
  let customer: SessionLogin
  before(async () => {
    clearScreenshots('session-')
    e = await startE2E()
    customer = await e.seedCustomer()
  })
  after(async () => {
    await e?.close()
  })

  test('the login form logs in, goes to the page asked for, and the cookie is HttpOnly and SameSite=Lax', async () => {
    const ctx = await e.newContext()
    try {
      const page = await ctx.newPage()
      // A portal page without a session goes to the login page, which keeps where to return.
      await page.goto('/account/sessions')
      await page.waitForURL(u => u.pathname === '/login')
      assert.equal(new URL(page.url()).searchParams.get('next'), '/account/sessions')
      const login = new LoginPage(page)
      await login.heading().waitFor()
      await visited(page, 'session-login')
      await login.email().fill(customer.email)
      await login.password().fill('not the password at all')
      await login.submit().click()
      await login.error().first().waitFor()
      await login.logIn(customer.email, customer.password)
      await page.waitForURL(u => u.pathname === '/account/sessions')
      await new SessionsPage(page).logOutEverywhere().waitFor()

      const cookies = (await ctx.cookies()).filter(c => c.name === 'oxbill_session')
      assert.equal(cookies.length, 1, JSON.stringify(await ctx.cookies()))
      const c = cookies[0]!
      assert.equal(c.httpOnly, true, 'HttpOnly')
      assert.equal(c.sameSite, 'Lax', 'SameSite=Lax')
      assert.equal(c.path, '/')
      assert.equal(c.secure, false, 'plain http on loopback: not Secure')
      // HttpOnly means the page's scripts cannot read it.
      assert.doesNotMatch(await page.evaluate(() => document.cookie), /oxbill_session/)
    } finally {
      await ctx.close()
    }
  })

  test('a login page never sends the user to another site after logging in', async () => {
    const ctx = await e.newContext()
    try {
      const page = await ctx.newPage()
      await page.goto(`/login?next=${encodeURIComponent('//evil.example/steal')}`)
      await new LoginPage(page).logIn(customer.email, customer.password)
      await new PortalShell(page).nav().waitFor()
      assert.equal(new URL(page.url()).origin, e.baseUrl)
    } finally {
      await ctx.close()
    }
  })

  test("a state-changing request from the page without the CSRF header is refused, with it it's accepted", async () => {
    const s = await e.login(customer.email, customer.password)
    const ctx = await e.newContext(s)
    try {
      const page = await ctx.newPage()
      await page.goto('/')
      await new PortalShell(page).nav().waitFor()
      const send = (withToken: boolean) =>
        page.evaluate(
          async ([token, name]) => {
            const res = await fetch('/API/account/keys', {
              method: 'POST',
              credentials: 'same-origin',
              headers: { 'content-type': 'application/json', ...(token === null ? {} : { 'x-csrf-token': token }) },
              body: JSON.stringify({ name }),
            })
            return { status: res.status, body: (await res.json()) as { error?: { code?: string } } }
          },
          [withToken ? s.csrf : null, `csrf-${withToken}`] as const,
        )
      const refused = await send(false)
      assert.equal(refused.status, 403)
      assert.equal(refused.body.error?.code, 'csrf_failed')
      const keys = await e.api('GET', '/API/account/keys', { session: s })
      const names = (keys.body.keys as Array<{ name: string }>).map(k => k.name)
      assert.ok(!names.includes('csrf-false'), 'the refused request made no key')
      const accepted = await send(true)
      assert.equal(accepted.status, 201, JSON.stringify(accepted.body))
    } finally {
      await ctx.close()
    }
  })

  test('log out everywhere in one browser sends the other to the login page at its next navigation', async () => {
    const one = await e.newContext(await e.login(customer.email, customer.password))
    const two = await e.newContext(await e.login(customer.email, customer.password))
    try {
      const p2 = await two.newPage()
      await p2.goto('/')
      const shell2 = new PortalShell(p2)
      await shell2.nav().waitFor()

      const p1 = await one.newPage()
      const sessions = new SessionsPage(p1)
      await sessions.open()
      await visited(p1, 'session-two-browsers')
      await sessions.logOutEverywhere().click()
      const confirm = p1.getByRole('dialog')
      if (await confirm.isVisible().catch(() => false)) {
        await confirm
          .getByRole('button', { name: /log out/i })
          .last()
          .click()
      }
      await p1
        .getByText(/sessions? (was|were) logged out/)
        .first()
        .waitFor()

      // The other browser's next navigation (a click in the portal) lands on the login page.
      await shell2.navLink('Servers').click()
      await p2.waitForURL(u => u.pathname === '/login')
      await new LoginPage(p2).heading().waitFor()
      // And the first browser, which kept its session, still works.
      await p1.reload()
      await new PortalShell(p1).nav().waitFor()
      assert.equal(new URL(p1.url()).pathname, '/account/sessions')
      const cookies2 = await two.cookies()
      await eventually(
        async () =>
          (
            await e.api('GET', '/API/auth/session', {
              session: { ...customer, cookie: cookies2.find(c => c.name === 'oxbill_session')?.value ?? '' },
            })
          ).status === 401 || !cookies2.some(c => c.name === 'oxbill_session'),
        { what: "the other browser's session to be refused" },
      )
    } finally {
      await one.close()
      await two.close()
    }
  })

  test('log out ends the session: the old cookie is refused by the API', async () => {
    const s = await e.login(customer.email, customer.password)
    const ctx = await e.newContext(s)
    try {
      const page = await ctx.newPage()
      await page.goto('/')
      const shell = new PortalShell(page)
      await shell.logOut()
      await page.waitForURL(u => u.pathname === '/login')
      assert.equal((await e.api('GET', '/API/auth/session', { session: s })).status, 401)
      await page.goto('/balance')
      await page.waitForURL(u => u.pathname === '/login')
    } finally {
      await ctx.close()
    }
  })
})
