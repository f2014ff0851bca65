// axe on every public and portal page, and on each dialog a page opens: no serious or critical
// violation, and no near-empty page (a page without a main landmark and an h1 proves nothing).
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import {
  eventually,
  assertAccessible,
  screenshot,
  skipWithoutChromium,
  startE2E,
  visited,
  waitForPageShell,
  type E2E,
  type SessionLogin,
  clearScreenshots,
} from './harness.ts'
import { PortalShell } from './pages/shell.ts'
import { seedHoldings } from './seed.ts'

describe('accessibility (axe-core, serious and critical)', { skip: skipWithoutChromium() }, () => {
  let e: E2E
  let customer: SessionLogin
  let serverId = ''
  before(async () => {
    clearScreenshots('a11y-')
    e = await startE2E()
  })
  after(async () => {
    await e?.close()
  })

  /** Opens each path in one context and checks it; every failure is collected, so one run lists them all. */
  async function sweep(
    pages: ReadonlyArray<{ path: string; name: string; dialogs?: (page: Page) => Promise<void> }>,
    session?: SessionLogin,
  ): Promise<void> {
    const ctx = await e.newContext(session)
    const page = await ctx.newPage()
    const failures: string[] = []
    try {
      for (const p of pages) {
        try {
          await page.goto(p.path)
          await visited(page, `a11y-${p.name}`)
          await p.dialogs?.(page)
        } catch (err) {
          failures.push(`${p.path}: ${err instanceof Error ? err.message : String(err)}`)
          await screenshot(page, `a11y-${p.name}-failed`).catch(() => {})
        }
      }
    } finally {
      await ctx.close()
    }
    if (failures.length > 0) throw new Error(`${failures.length} page(s) failed:\n\n${failures.join('\n\n')}`)
  }

  /** Clicks a button that opens a dialog, checks the dialog, closes it with Escape. */
  async function dialogOf(page: Page, label: string, button: RegExp): Promise<void> {
    const opener = page.getByRole('main').getByRole('button', { name: button }).first()
    // Actionability: waits until the button is there and enabled (the state was prepared for it).
    await opener.click()
    const dialog = page.getByRole('dialog')
    await assertAccessible(page, `${label} dialog`, dialog)
    await screenshot(page, `a11y-${label}-dialog`)
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
  }

  test('the checks themselves fail where they should: a serious violation, a near-empty page', async () => {
    const ctx = await e.newContext()
    const page = await ctx.newPage()
    try {
      await page.setContent('<main><h1>Checks</h1><button></button><img src="data:,"></main>')
      await assert.rejects(assertAccessible(page, 'a page with faults'), (err: Error) => {
        assert.match(err.message, /\[critical\] (button-name|image-alt)/)
        return true
      })
      await page.setContent('<div>loading</div>')
      await assert.rejects(waitForPageShell(page, 500), /near-empty page/)
    } finally {
      await ctx.close()
    }
  })

  test('public pages', async () => {
    await sweep([
      { path: '/login', name: 'login' },
      { path: '/signup', name: 'signup' },
      { path: '/forgot-password', name: 'forgot-password' },
      { path: '/reset-password?token=not-a-real-token', name: 'reset-password' },
      { path: '/verify-email?token=not-a-real-token', name: 'verify-email-bad-token' },
      { path: '/verify-email', name: 'verify-email-no-token' },
    ])
  })

  test('the login page with an error shown', async () => {
    const ctx = await e.newContext()
    const page = await ctx.newPage()
    try {
      await page.goto('/login')
      await page.getByLabel('E-mail', { exact: true }).fill('nobody@example.com')
      await page.getByLabel('Password', { exact: true }).fill('wrong password here')
      await page.getByRole('main').getByRole('button', { name: 'Log in', exact: true }).click()
      await page.getByRole('main').getByRole('alert').first().waitFor()
      await visited(page, 'a11y-login-error')
    } finally {
      await ctx.close()
    }
  })

  test('portal pages and their dialogs', async () => {
    customer = await e.seedCustomer({ balance: '200.00' })
    // One of each object, so their pages have something to show (seeded through the API).
    const h = await seedHoldings(e, customer, 'a11y')
    serverId = h.serverId
    // Power and cancel need an active server: wait for the provisioning to end.
    await eventually(
      async () => {
        const d = await e.api('GET', `/API/servers/detail?server_id=${serverId}`, { session: customer })
        return (d.body.data as { status?: string } | undefined)?.status === 'active'
      },
      { timeoutMs: 30_000, intervalMs: 250, what: 'the seeded server to be active' },
    )
    const serverPages = [
      {
        path: `/servers/${serverId}`,
        name: 'server',
        dialogs: async (page: Page) => {
          await dialogOf(page, 'server-reboot', /^reboot/i)
          await dialogOf(page, 'server-cancel', /^cancel/i)
        },
      },
      { path: `/servers/${serverId}/plan`, name: 'server-change-plan' },
      { path: `/servers/${serverId}/extend`, name: 'server-extend' },
      { path: `/servers/${serverId}/addon`, name: 'server-addon' },
      { path: `/orders/${h.orderId}`, name: 'order' },
      { path: `/balance/invoices/${h.topUpTrackId}`, name: 'invoice' },
      { path: `/plesk/subscriptions/${h.subscriptionId}`, name: 'plesk-subscription' },
      {
        path: `/notifications/webhooks/${h.webhookId}`,
        name: 'webhook',
        dialogs: async (page: Page) => {
          await dialogOf(page, 'webhook-rotate', /^rotate/i)
          await dialogOf(page, 'webhook-delete', /^delete/i)
        },
      },
    ]
    await sweep(
      [
        { path: '/', name: 'dashboard' },
        { path: '/servers', name: 'servers' },
        { path: '/servers/new', name: 'order-vps' },
        ...serverPages,
        { path: '/orders', name: 'orders' },
        { path: '/balance', name: 'balance' },
        { path: '/plesk', name: 'plesk' },
        { path: '/plesk/new', name: 'plesk-order' },
        { path: '/plesk/clients/new', name: 'plesk-new-client' },
        { path: '/notifications', name: 'notifications' },
        { path: '/account', name: 'account-profile' },
        { path: '/account/security', name: 'account-security' },
        { path: '/account/sessions', name: 'account-sessions' },
        {
          path: '/account/keys',
          name: 'account-keys',
          dialogs: async page => {
            await page.getByLabel('Name', { exact: true }).fill('a11y key')
            await page.getByRole('button', { name: 'Create key' }).click()
            await page.getByText('Copy this key now. It is shown only once.').waitFor()
            await assertAccessible(page, 'account-keys with a new key')
            await dialogOf(page, 'account-key-revoke', /^revoke/i)
          },
        },
        { path: '/no-such-page', name: 'not-found' },
      ],
      customer,
    )
  })

  test('the mobile layout (320 px) of the dashboard, with the menu open', async () => {
    customer ??= await e.seedCustomer()
    const ctx = await e.newContext(customer)
    const page = await ctx.newPage()
    try {
      await page.setViewportSize({ width: 320, height: 640 })
      await page.goto('/')
      const shell = new PortalShell(page)
      await page.getByRole('button', { name: 'Menu' }).click()
      await shell.navLink('Servers').waitFor()
      await visited(page, 'a11y-dashboard-320px')
    } finally {
      await ctx.close()
    }
  })
})
