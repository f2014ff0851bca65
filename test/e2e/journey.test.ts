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
  assertAccessible,
  eventually,
  Authenticator,
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
  clearScreenshots,
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
  let app: Authenticator | undefined
  let serverId = ''

  before(async () => {
    clearScreenshots('journey-')
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

  /** An open confirm dialog: its own axe pass (rule 15: every opened dialog), then a screenshot. */
  async function snapDialog(name: string): Promise<void> {
    await assertAccessible(page, `journey ${name} dialog`, page.getByRole('dialog'))
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
    const secret = (await textOf(security.secret())).replace(/\s+/g, '')
    assert.match(secret, /^[A-Z2-7]+=*$/)
    app = new Authenticator(secret)
    await snap('security-2fa-setup')
    const codes = await security.turnOn(app.next())
    await codes.waitFor()
    assert.equal(await security.recoveryCodeList().count(), 10, 'ten recovery codes, shown once')
    await snap('security-recovery-codes')
    await (await security.savedThem()).waitFor()
    await snap('security-2fa-on')
  })

  step('top up the balance by crypto, paid on the fake OxaPay checkout', async () => {
    const balance = new BalancePage(page)
    await balance.open()
    await snap('balance')
    const link = await balance.topUp('100.00')
    await page.waitForURL(u => u.pathname.startsWith('/balance/invoices/'))
    await link.waitFor()
    await snap('balance-invoice')
    // The payment page opens in a new tab, as it would for a payer with a wallet.
    const [checkoutTab] = await Promise.all([ctx.waitForEvent('page'), link.click()])
    await checkoutTab.waitForLoadState()
    const checkout = new CheckoutPage(checkoutTab)
    await checkout.heading().waitFor()
    shot += 1
    await screenshot(checkoutTab, `journey-${String(shot).padStart(2, '0')}-checkout`)
    await checkout.pay()
    // The page is plain HTML: the payer reloads it until the payment has been seen (the fake
    // wallet's transfer reaches oxbill as OxaPay's signed callback).
    await eventually(
      async () => {
        await checkoutTab.reload()
        await waitForText(checkout.status(), /paid|confirming/i, 1000)
        return true
      },
      { timeoutMs: 30_000, intervalMs: 500, what: 'the checkout page to show the payment' },
    )
    shot += 1
    await screenshot(checkoutTab, `journey-${String(shot).padStart(2, '0')}-checkout-paid`)
    await checkoutTab.close()
    // The invoice page polls until the callback credited the balance.
    await balance.paidNotice().waitFor({ timeout: 30_000 })
    await snap('balance-invoice-paid')
    await balance.open()
    await waitForText(balance.current(), /€100\.00/, 15_000)
    await snap('balance-credited')
  })

  step('order a VPS after seeing its quote', async () => {
    const order = new OrderVpsPage(page)
    await new PortalShell(page).goTo('Servers')
    await snap('servers-empty')
    await page.getByRole('main').getByRole('link', { name: 'Order a VPS' }).first().click()
    await order.open()
    await snap('order-vps')
    const confirm = await order.choose({
      plan: /^VPS Start/,
      image: 'Ubuntu 24.04',
      location: 'Slovenia',
      name: 'journey-vps',
    })
    await waitForText(confirm.quote(), /€12\.99/)
    await snap('order-vps-quote')
    const service = await confirm.confirm()
    await service.waitFor({ timeout: 30_000 })
    await snap('order-vps-placed')
    await service.click()
    // The order page itself is /servers/new: wait for the server's own page.
    await page.waitForURL(u => /^\/servers\/(?!new$)[^/]+$/.test(u.pathname))
    serverId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!)
  })

  step('see the server active with its IP', async () => {
    const server = new ServerPage(page)
    // The page polls a provisioning server by itself.
    await server.status('Active').waitFor({ timeout: 30_000 })
    const ip = await textOf(server.primaryIp())
    assert.match(ip, /^\d{1,3}(\.\d{1,3}){3}$/)
    await snap('server-active')
  })

  step('reboot it', async () => {
    const server = new ServerPage(page)
    const confirm = await server.power('Reboot')
    await snapDialog('server-reboot-dialog')
    await confirm.click()
    await server.lastAction('Reboot').waitFor()
    await server.actionFinished().waitFor({ timeout: 20_000 })
    await snap('server-rebooted')
  })

  step('change its plan after seeing the quote', async () => {
    const server = new ServerPage(page)
    await server.changePlanLink().click()
    const change = new ChangePlanPage(page)
    await change.heading().waitFor()
    await snap('server-change-plan')
    const confirm = await change.choose(/^VPS Pro/)
    // The quote (the difference for the rest of the term) is shown before anything is charged.
    await waitForText(confirm.quote(), /€\d+\.\d\d/)
    // The VPS was charged exactly its quote: 100.00 topped up − 12.99 = the balance this quote shows.
    await waitForText(page.getByRole('main'), /Your balance\s*€87\.01/)
    await snap('server-change-plan-quote')
    const service = await confirm.confirm()
    await service.waitFor({ timeout: 30_000 })
    await snap('server-change-plan-placed')
    await service.click()
    await waitForText(server.overview(), /2 vCPUs/, 30_000)
    assert.equal(new URL(page.url()).pathname, `/servers/${serverId}`)
    await snap('server-new-plan')
  })

  step('cancel it at the end of its term', async () => {
    const server = new ServerPage(page)
    const confirm = await server.cancelAtEndOfTerm()
    await snapDialog('server-cancel-dialog')
    await confirm.click()
    await server.cancelledNotice().waitFor({ timeout: 15_000 })
    await server.undoCancelButton().waitFor()
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
    await login.enterCode(app!.next())
    await shell.nav().waitFor({ timeout: 15_000 })
    await snap('logged-in-again')
    assert.notEqual(new URL(page.url()).pathname, '/login')
  })
})
