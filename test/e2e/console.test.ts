// The in-browser server console (issue 13): the server page's "Open the console" opens
// /servers/:id/console in a new tab, whose noVNC connects through the portal's CSP to the fake
// SolusVM's VNC websocket (a real RFB session, VNC Authentication with the API's password), shows
// the VM's screen, and sends Ctrl+Alt+Del, which the fake records; disconnect and reconnect
// (a fresh link each time); a stopped VM is refused with the API's reason.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { BrowserContext } from 'playwright-core'
import {
  assertAccessible,
  clearScreenshots,
  eventually,
  screenshot,
  skipWithoutChromium,
  startE2E,
  waitForText,
  type E2E,
  type SessionLogin,
} from './harness.ts'
import { ConsolePage, ServerPage } from './pages/servers.ts'
import { orderServer } from './seed.ts'

describe('the server console in the browser', { skip: skipWithoutChromium() }, () => {
  let e: E2E
  let customer: SessionLogin
  let serverId = ''
  let ctx: BrowserContext

  const powerStatus = async (): Promise<string | null | undefined> => {
    const d = await e.api('GET', `/API/servers/detail?server_id=${serverId}`, { session: customer })
    const s = d.body.data as { status?: string; power_status?: string | null } | undefined
    return s?.status === 'active' ? s.power_status : undefined
  }
  const fakeVm = () => {
    const vms = e.built.providers.fakes.solusvm!.servers()
    assert.equal(vms.length, 1, 'one VM in this file')
    return vms[0]!
  }
  const vnc = () => e.built.providers.fakes.solusvm!.vnc(fakeVm().id)

  before(async () => {
    clearScreenshots('console-')
    e = await startE2E()
    customer = await e.seedCustomer({ balance: '200.00' })
    serverId = (await orderServer(e, customer)).serverId
    await eventually(async () => (await powerStatus()) === 'started', {
      timeoutMs: 30_000,
      intervalMs: 250,
      what: 'the server to be active and started',
    })
    ctx = await e.newContext(customer)
  })
  after(async () => {
    await ctx?.close()
    await e?.close()
  })

  test('opens in a new tab, connects, shows the screen, sends Ctrl+Alt+Del; disconnect and reconnect', async () => {
    const p = await ctx.newPage()
    const server = new ServerPage(p)
    await server.open(serverId)
    const [tab] = await Promise.all([ctx.waitForEvent('page'), server.consoleLink().click()])
    await tab.waitForURL(`**/servers/${serverId}/console`)
    const con = new ConsolePage(tab)
    await waitForText(con.status(), 'Connected.', 20_000)
    await tab.getByRole('heading', { level: 1, name: /^Console of / }).waitFor()
    await waitForText(tab.getByRole('main'), /Link valid for connecting until/)

    // A real framebuffer: the generated console screen, its title bar at the top.
    const screen = await eventually(
      async () => {
        const c = await con.canvas(5, 5)
        return c.colours >= 3 ? c : false
      },
      { what: 'a non-blank canvas' },
    )
    assert.equal(screen.width, 800)
    assert.deepEqual(screen.pixel, [38, 132, 214])
    assert.equal(vnc().sessions, 1)
    await screenshot(tab, 'console-connected')
    await assertAccessible(tab, 'the console page')

    await con.button('Send Ctrl+Alt+Del').click()
    await eventually(async () => vnc().ctrlAltDel === 1, { what: 'the fake to record Ctrl+Alt+Del' })
    // The screen marks it (bottom-left red square): the update came back to the canvas.
    await eventually(
      async () => {
        const px = (await con.canvas(18, 600 - 18)).pixel
        return px[0]! > 200 && px[1]! < 100
      },
      { what: 'the Ctrl+Alt+Del mark on the screen' },
    )

    await con.button('Disconnect').click()
    await waitForText(con.status(), 'Disconnected.')
    assert.equal(await con.button('Send Ctrl+Alt+Del').isDisabled(), true)
    await con.button('Reconnect').click()
    await waitForText(con.status(), 'Connected.', 20_000)
    assert.equal(vnc().sessions, 2, 'a new session with a new link')
    await tab.close()
    await p.close()
  })

  test('a stopped VM: the page says why, and reconnecting works once it runs again', async () => {
    const stop = await e.api('POST', '/API/servers/power', {
      session: customer,
      body: { server_id: serverId, action: 'stop' },
    })
    assert.equal(stop.status, 202, JSON.stringify(stop.body))
    await eventually(async () => (await powerStatus()) === 'stopped', { timeoutMs: 30_000, what: 'the VM to stop' })
    const tab = await ctx.newPage()
    await tab.goto(`/servers/${serverId}/console`)
    const con = new ConsolePage(tab)
    await waitForText(con.status(), /^Failed: .*(stopped|started)/, 20_000)
    await tab.getByRole('main').getByRole('alert').waitFor()
    assert.equal(await con.button('Send Ctrl+Alt+Del').isDisabled(), true)
    await screenshot(tab, 'console-refused')

    const start = await e.api('POST', '/API/servers/power', {
      session: customer,
      body: { server_id: serverId, action: 'start' },
    })
    assert.equal(start.status, 202, JSON.stringify(start.body))
    await eventually(async () => (await powerStatus()) === 'started', { timeoutMs: 30_000, what: 'the VM to start' })
    await eventually(
      async () => {
        const r = await e.api('GET', `/API/servers/actions?server_id=${serverId}`, { session: customer })
        return (r.body.actions as { status: string }[]).every(a => a.status === 'done' || a.status === 'failed')
      },
      { timeoutMs: 30_000, what: 'no action open' },
    )
    await con.button('Reconnect').click()
    await waitForText(con.status(), 'Connected.', 20_000)
    await tab.close()
  })
})
