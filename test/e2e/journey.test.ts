// The "Done when", in one browser on a fresh instance: sign up → verify the e-mail (the
// link read from the captured mail) → enable 2FA (codes computed here from the secret the page
// shows) → top up by crypto (paid on the fake OxaPay's checkout) → order a VPS → see it active
// with its IP → reboot → change its plan after seeing the quote → cancel at end of term → log out
// and back in with 2FA. Every page visited is screenshotted (test-artifacts/screenshots/journey-*).
// The steps share one browser context and run in order; after a failed step the rest are skipped.
import assert from 'node:assert/strict'
import { after, before, describe, test, type TestContext } from 'node:test'
import type { BrowserContext, Page } from 'playwright-core'
import {
  eventually,
  freshTotpCode,
  screenshot,
  skipWithoutChromium,
  startE2E,
  STRONG_PASSWORD,
  textOf,
  uniqueEmail,
  waitForPageShell,
  waitForText,
  writeArtifact,
  type E2E,
} from './harness.ts'
import { LoginPage, SignupPage, VerifyEmailPage } from './pages/auth.ts'
import { SecurityPage } from './pages/account.ts'
import { BalancePage, CheckoutPage } from './pages/billing.ts'
import { ChangePlanPage, OrderVpsPage, ServerPage } from './pages/servers.ts'
import { PortalShell } from './pages/shell.ts'

describe('the customer journey', { skip: skipWithoutChromium() }, () => {
  let e: E2E
  let ctx: BrowserContext
  let page: Page
  let shot = 0
  let failed: string | null = null
  const timings: string[] = []
  const email = uniqueEmail('journey')
  const password = STRONG_PASSWORD
  const usedCodes = new Set<string>()
  let totpSecret = ''
  let serverId = ''

  before(async () => {
    e = await startE2E()
    ctx = await e.newContext()
    page = await ctx.newPage()
  })
  after(async () => {
    writeArtifact('journey-timings.txt', `${timings.join('\n')}\n`)
    await ctx?.close()
    await e?.close()
  })

  /** Every page the journey visits: once it shows its main and h1, a numbered screenshot. */
  async function snap(name: string): Promise<void> {
    await waitForPageShell(page)
    shot += 1
    await screenshot(page, `journey-${String(shot).padStart(2, '0')}-${name}`)
  }

  /** One step: skipped once an earlier one failed (the later ones depend on it). */
  function step(name: string, fn: () => Promise<void>): void {
    test(name, async (t: TestContext) => {
      if (failed !== null) {
        t.skip(`an earlier step failed: ${failed}`)
        return
      }
      const started = Date.now()
      try {
        await fn()
      } catch (err) {
        failed = name
        shot += 1
        await screenshot(page, `journey-${String(shot).padStart(2, '0')}-FAILED-${name}`).catch(() => {})
        throw err
      } finally {
        timings.push(`${name}: ${Date.now() - started} ms`)
      }
    })
  }

  step('sign up', async () => {
    const signup = new SignupPage(page)
    await signup.open()
    await snap('signup')
    const done = await signup.signUp(email, password)
    await done.waitFor()
    await snap('signup-done')
  })

  step('verify the e-mail from the link in the captured mail', async () => {
    const mail = await e.mailTo(email, /verif|confirm/i)
    const link = e.linkIn(mail, '/verify-email')
    assert.equal(new URL(link).origin, e.baseUrl, 'the link points at this portal')
    await new VerifyEmailPage(page).open(link)
    // Verifying logs in: the portal's navigation appears, without the "not verified" banner.
    const shell = new PortalShell(page)
    await shell.nav().waitFor({ timeout: 15_000 })
    await snap('verified-dashboard')
    assert.equal(await page.getByText('Your e-mail address is not verified yet').count(), 0)
  })

  step('enable two-factor authentication with a code computed from the secret shown', async () => {
    const security = new SecurityPage(page)
    await security.open()
    await snap('security')
    await security.startTwoFactor().click()
    totpSecret = (await textOf(security.secretText())).replace(/\s+/g, '')
    assert.match(totpSecret, /^[A-Z2-7]{16,}$/)
    await snap('security-2fa-setup')
    const codes = await security.turnOn(freshTotpCode(totpSecret, usedCodes))
    await codes.waitFor()
    await snap('security-recovery-codes')
    await security.savedThem().click()
    await security.isOn().waitFor()
    await snap('security-2fa-on')
  })

  step('top up the balance by crypto, paid on the fake OxaPay checkout', async () => {
    const balance = new BalancePage(page)
    await balance.open()
    await snap('balance')
    const link = await balance.topUp('50.00')
    const href = await link.getAttribute('href')
    assert.ok(href, 'the invoice links to its checkout page')
    await snap('balance-invoice')
    // The payer's page (a new tab when the link asks for one).
    const popup = ctx.waitForEvent('page', { timeout: 3000 }).catch(() => null)
    await link.click()
    const checkoutPage = (await popup) ?? page
    await checkoutPage.waitForLoadState()
    shot += 1
    await screenshot(checkoutPage, `journey-${String(shot).padStart(2, '0')}-checkout`)
    const checkout = new CheckoutPage(checkoutPage)
    await checkout.pay()
    await waitForText(checkoutPage.getByText(/Status:/).first(), /paid|confirm/i, 15_000)
    shot += 1
    await screenshot(checkoutPage, `journey-${String(shot).padStart(2, '0')}-checkout-paid`)
    if (checkoutPage !== page) await checkoutPage.close()
    // The portal polls the unpaid invoice and shows the credit once the callback has landed.
    await balance.open()
    await eventually(
      async () => {
        await page.reload()
        await waitForText(page.getByRole('main'), /50[.,]00/, 2000)
        return true
      },
      { timeoutMs: 20_000, intervalMs: 500, what: 'the balance to show the 50.00 top-up' },
    )
    await snap('balance-credited')
  })

  step('order a VPS after seeing its quote', async () => {
    const order = new OrderVpsPage(page)
    await order.open()
    await snap('order-vps')
    const place = await order.choose({
      plan: /VPS Start/,
      image: /Ubuntu 24\.04|24\.04/,
      location: 'Slovenia',
      name: 'journey-vps',
    })
    await waitForText(page.getByRole('main'), /12[.,]99/)
    await snap('order-vps-quote')
    await place.click()
    const view = order.viewService()
    await view.waitFor({ timeout: 20_000 })
    await snap('order-vps-placed')
    await view.click()
    await page.waitForURL(u => /^\/servers\/[^/]+$/.test(u.pathname))
    serverId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!)
  })

  step('see the server active with its IP', async () => {
    const server = new ServerPage(page)
    await eventually(
      async () => {
        await page.reload()
        await waitForText(server.status(), /active/i, 2000)
        return true
      },
      { timeoutMs: 30_000, intervalMs: 500, what: 'the server to be active' },
    )
    const ip = await textOf(server.primaryIp())
    assert.match(ip, /\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]{3,}/i)
    await snap('server-active')
  })

  step('reboot it', async () => {
    const server = new ServerPage(page)
    const confirm = await server.power('Reboot')
    await snap('server-reboot-dialog')
    await confirm.click()
    await waitForText(server.latestAction(), /done|completed|finished/i, 20_000)
    await snap('server-rebooted')
  })

  step('change its plan after seeing the quote', async () => {
    const server = new ServerPage(page)
    await server.changePlanLink().click()
    const change = new ChangePlanPage(page)
    await snap('server-change-plan')
    const place = await change.choose(/VPS Pro/)
    // The quote (price difference for the rest of the term) is shown before anything is charged.
    await waitForText(page.getByRole('main'), /€|EUR/)
    await snap('server-change-plan-quote')
    await place.click()
    await page
      .getByRole('link', { name: /view (the )?(server|service)/i })
      .or(page.getByText(/completed|changed/i))
      .first()
      .waitFor({ timeout: 20_000 })
    await snap('server-change-plan-done')
    await server.open(serverId)
    await waitForText(page.getByRole('main'), /2 vCPU|6 GiB/i, 20_000)
    await snap('server-new-plan')
  })

  step('cancel it at the end of its term', async () => {
    const server = new ServerPage(page)
    const confirm = await server.cancelAtEndOfTerm()
    await snap('server-cancel-dialog')
    await confirm.click()
    await server.cancelledNotice().first().waitFor({ timeout: 15_000 })
    await snap('server-cancelled-at-end-of-term')
  })

  step('log out, then log back in with a fresh authentication code', async () => {
    const shell = new PortalShell(page)
    await shell.logOut()
    await page.waitForURL(u => u.pathname === '/login')
    const login = new LoginPage(page)
    await snap('logged-out')
    const code = await login.logIn(email, password)
    await code.waitFor()
    await snap('login-2fa-step')
    await login.enterCode(freshTotpCode(totpSecret, usedCodes))
    await shell.nav().waitFor({ timeout: 15_000 })
    await snap('logged-in-again')
    assert.notEqual(new URL(page.url()).pathname, '/login')
  })
})
