// Managing what a customer has, in the browser against the real API and the fakes (issue 13):
// reinstall with the password shown once, a root password reset revealed once, the console's
// link and password, rescue mode on and off, terminating a server now with the refund preview,
// and on a Plesk subscription the FTP password, the one-time "Open Plesk" link and auto-renew.
// The server tests share one server and run in order (each needs the previous action finished).
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { BrowserContext, Page } from 'playwright-core'
import {
  assertAccessible,
  clearScreenshots,
  eventually,
  screenshot,
  skipWithoutChromium,
  startE2E,
  textOf,
  visited,
  waitForText,
  type E2E,
  type SessionLogin,
} from './harness.ts'
import { SubscriptionPage } from './pages/plesk.ts'
import { ServerPage } from './pages/servers.ts'
import { seedHoldings } from './seed.ts'

describe('managing a server and a Plesk subscription', { skip: skipWithoutChromium() }, () => {
  let e: E2E
  let customer: SessionLogin
  let serverId = ''
  let subscriptionId = ''
  let ctx: BrowserContext
  let page: Page

  before(async () => {
    clearScreenshots('manage-')
    // The refund of unused time is off by default; on here, so the preview has an amount to show.
    e = await startE2E({ env: { CANCEL_REFUND_UNUSED: 'true' } })
    customer = await e.seedCustomer({ balance: '200.00' })
    const h = await seedHoldings(e, customer, 'manage')
    serverId = h.serverId
    subscriptionId = h.subscriptionId
    await eventually(
      async () => {
        const d = await e.api('GET', `/API/servers/detail?server_id=${serverId}`, { session: customer })
        const s = d.body.data as { status?: string; power_status?: string | null } | undefined
        return s?.status === 'active' && s.power_status === 'started'
      },
      { timeoutMs: 30_000, intervalMs: 250, what: 'the seeded server to be active and started' },
    )
    await eventually(
      async () => {
        const d = await e.api('GET', `/API/plesk/subscriptions/detail?id=${subscriptionId}`, { session: customer })
        return (d.body.subscription as { status?: string } | undefined)?.status === 'active'
      },
      { timeoutMs: 30_000, intervalMs: 250, what: 'the seeded subscription to be active' },
    )
  })
  after(async () => {
    await ctx?.close()
    await e?.close()
  })

  async function freshPage(): Promise<Page> {
    await ctx?.close()
    ctx = await e.newContext(customer)
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'])
    page = await ctx.newPage()
    return page
  }

  /** Waits until the newest action of `name` in the table reads Done. */
  async function actionDone(server: ServerPage, name: string, timeoutMs = 30_000): Promise<string> {
    return waitForText(server.actionRow(name), /Done/, timeoutMs)
  }

  test('reinstall: pick an image of the plan, confirm, see the root password once', async () => {
    const p = await freshPage()
    const server = new ServerPage(p)
    await server.open(serverId)
    await visited(p, 'manage-server')
    const dialog = await server.reinstall(/^Debian/)
    await assertAccessible(p, 'the reinstall password dialog', dialog)
    await screenshot(p, 'manage-reinstall-password')
    const password = await textOf(server.secretIn(dialog, 'Root password'))
    assert.ok(password.length >= 12, `a real password (${password.length} chars)`)
    // Focus moved to the password, not lost with the vanished confirm button.
    assert.equal(await p.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Root password')
    await dialog.getByRole('button', { name: 'Copy the password' }).click()
    assert.equal(await p.evaluate(() => navigator.clipboard.readText()), password)
    await p.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    // Once closed, it is nowhere on the page any more.
    assert.equal(await p.getByText(password).count(), 0)
    assert.equal((await p.content()).includes(password), false)
    await actionDone(server, 'Reinstall')
    await waitForText(server.actionRow('Reinstall'), /now Debian/)
    // Neither a reload nor the API hands it out again.
    await p.reload()
    await server.actionRow('Reinstall').waitFor()
    assert.equal((await p.content()).includes(password), false)
    const list = await e.api('GET', `/API/servers/actions?server_id=${serverId}`, { session: customer })
    assert.equal(JSON.stringify(list.body).includes(password), false)
  })

  test('reset the root password, then reveal it once when ready', async () => {
    const p = await freshPage()
    const server = new ServerPage(p)
    await server.open(serverId)
    await server.manageButton('Reset root password…').click()
    const ask = p.getByRole('dialog', { name: 'Reset the root password?' })
    await assertAccessible(p, 'the reset password dialog', ask)
    await ask.getByRole('button', { name: 'Reset the password' }).click()
    await ask.waitFor({ state: 'hidden' })
    await actionDone(server, 'Reset root password')
    const reveal = p.getByRole('button', { name: 'Show the new password' })
    await reveal.click()
    const dialog = p.getByRole('dialog', { name: 'The new root password' })
    const password = await textOf(server.secretIn(dialog, 'Root password'))
    assert.ok(password.length >= 8)
    await screenshot(p, 'manage-reset-password-revealed')
    await p.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    // Shown once: the button is gone, the row says so, and the API refuses a second showing.
    await p.getByText('The new root password was already shown.').waitFor()
    assert.equal(await reveal.count(), 0)
    const actions = await e.api('GET', `/API/servers/actions?server_id=${serverId}`, { session: customer })
    const reset = (actions.body.actions as { id: string; action: string }[]).find(a => a.action === 'reset_password')
    const again = await e.api('POST', '/API/servers/actions/reveal_password', {
      session: customer,
      body: { server_id: serverId, action_id: reset?.id },
    })
    assert.equal(again.status, 409)
  })

  test('console: the page opens in a new tab; the fallback shows a fresh password and address with their expiry', async () => {
    const p = await freshPage()
    const server = new ServerPage(p)
    await server.open(serverId)
    // The console itself is a page of its own (test/e2e/console.test.ts), in a new tab.
    const link = server.consoleLink()
    assert.equal(await link.getAttribute('href'), `/servers/${serverId}/console`)
    assert.equal(await link.getAttribute('target'), '_blank')
    // The fallback: the password and address for a VNC client of one's own.
    await server.manageButton('Console password and address…').click()
    const dialog = p.getByRole('dialog', { name: 'Console' })
    await eventually(
      async () => {
        if (await dialog.isVisible()) return true
        const alerts = await p.getByRole('main').getByRole('alert').allTextContents()
        if (alerts.length > 0) throw new Error(`the page shows: ${alerts.join(' | ')}`)
        return false
      },
      { what: 'the console dialog' },
    )
    await assertAccessible(p, 'the console dialog', dialog)
    const password = await textOf(server.secretIn(dialog, 'Console password'))
    assert.ok(password.length > 0)
    await waitForText(dialog, /Valid until/)
    // SolusVM's console is its VNC websocket: shown to copy, for a VNC client.
    const address = await textOf(server.secretIn(dialog, 'Console address (websocket)'))
    assert.match(address, /^wss?:\/\/[^/]+\/vnc\?url=/)
    await screenshot(p, 'manage-console')
    await p.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
  })

  test('rescue mode: on shows the rescue boot, off the disk again', async () => {
    const p = await freshPage()
    const server = new ServerPage(p)
    await server.open(serverId)
    await waitForText(server.bootMode(), 'its disk')
    await server.manageButton('Boot into rescue mode…').click()
    const on = p.getByRole('dialog', { name: 'Boot into rescue mode?' })
    await assertAccessible(p, 'the rescue dialog', on)
    await on.getByRole('button', { name: 'Boot into rescue mode' }).click()
    await on.waitFor({ state: 'hidden' })
    await actionDone(server, 'Boot into rescue mode')
    await waitForText(server.bootMode(), 'the rescue system', 15_000)
    await screenshot(p, 'manage-rescue-on')
    await server.manageButton('Leave rescue mode…').click()
    const off = p.getByRole('dialog', { name: 'Leave rescue mode?' })
    await off.getByRole('button', { name: 'Leave rescue mode' }).click()
    await off.waitFor({ state: 'hidden' })
    await actionDone(server, 'Leave rescue mode')
    await waitForText(server.bootMode(), 'its disk', 15_000)
  })

  test('while an action runs, the other actions are disabled and say why', async () => {
    const p = await freshPage()
    const server = new ServerPage(p)
    await server.open(serverId)
    await server.powerButton('Reboot').click()
    await p.getByRole('dialog').getByRole('button', { name: 'Reboot', exact: true }).click()
    const reinstall = server.manageButton('Reinstall…')
    await eventually(
      async () => (await reinstall.isDisabled()) || (await server.actionRow('Reboot').textContent())?.includes('Done'),
      {
        what: 'reinstall disabled while the reboot runs',
      },
    )
    await actionDone(server, 'Reboot')
    await eventually(async () => !(await reinstall.isDisabled()), { what: 'reinstall enabled again' })
  })

  test('cancel immediately: the preview shows the refund, then the server is being deleted', async () => {
    const p = await freshPage()
    const server = new ServerPage(p)
    await server.open(serverId)
    const confirm = await server.cancelNow()
    const refund = await waitForText(server.refundPreview(), /€\d+\.\d\d/)
    assert.match(refund, /credited to your balance/)
    await assertAccessible(p, 'the cancel dialog', server.cancelDialog())
    await screenshot(p, 'manage-cancel-now')
    await confirm.click()
    await server.cancelDialog().waitFor({ state: 'hidden' })
    await eventually(
      async () => {
        const t = await textOf(server.overview())
        return /being deleted|Terminat|Deleted/i.test(t)
      },
      { timeoutMs: 30_000, what: 'the server to be terminating' },
    )
    await screenshot(p, 'manage-cancelled-now')
  })

  test('Plesk: FTP password (never shown again), Open Plesk in a new tab, auto-renew', async () => {
    const p = await freshPage()
    const sub = new SubscriptionPage(p)
    await sub.open(subscriptionId)
    await visited(p, 'manage-plesk')
    // Too short: the form says so before anything is sent.
    await sub.setFtpPassword('short1')
    await p.getByText('At least 10 characters', { exact: true }).waitFor()
    await sub.setFtpPassword('Browser-Ftp-2026')
    await waitForText(sub.actionRow('FTP password change'), /Done/, 30_000)
    assert.equal(await sub.ftpField().inputValue(), '', 'the form is emptied')
    assert.equal((await p.content()).includes('Browser-Ftp-2026'), false)

    const [tab] = await Promise.all([ctx.waitForEvent('page'), sub.openPleskButton().click()])
    await eventually(() => tab.url() !== 'about:blank' && tab.url() !== '', { what: 'the Plesk tab to navigate' })
    await tab.waitForLoadState()
    const landed = new URL(tab.url())
    assert.notEqual(landed.origin, e.baseUrl, 'the tab went to Plesk, not the portal')
    // Logged in without a password, as the subscription's own Plesk customer.
    await eventually(async () => (await tab.locator('#login').count()) === 1, { what: 'the Plesk panel page' })
    assert.match(await tab.locator('h1').innerText(), /^Plesk/)
    await tab.close()

    const renew = sub.autoRenew()
    const was = await renew.isChecked()
    await renew.click()
    await eventually(async () => (await renew.isChecked()) !== was && !(await renew.isDisabled()), {
      what: 'auto-renew to flip',
    })
    const d = await e.api('GET', `/API/plesk/subscriptions/detail?id=${subscriptionId}`, { session: customer })
    assert.equal((d.body.subscription as { auto_renew: boolean }).auto_renew, !was)
    await screenshot(p, 'manage-plesk-done')
  })
})
