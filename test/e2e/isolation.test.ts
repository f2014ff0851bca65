// Another customer's server, subscription, webhook or order by URL shows the 404 page, the same as
// something that does not exist; the owner's own copy of each page shows the object (so a page
// that always says 404 cannot pass).
import { after, before, describe, test } from 'node:test'
import {
  clearScreenshots,
  screenshot,
  skipWithoutChromium,
  startE2E,
  textOf,
  type E2E,
  type SessionLogin,
} from './harness.ts'
import { seedHoldings, type Holdings } from './seed.ts'
import { PortalShell } from './pages/shell.ts'

describe("another customer's objects by URL", { skip: skipWithoutChromium() }, () => {
  let e: E2E
  let alice: SessionLogin
  let bob: SessionLogin
  let bobs: Holdings
  before(async () => {
    clearScreenshots('isolation-')
    e = await startE2E()
    alice = await e.seedCustomer({ balance: '100.00' })
    bob = await e.seedCustomer({ balance: '100.00' })
    await seedHoldings(e, alice, 'alice')
    bobs = await seedHoldings(e, bob, 'bob')
  })
  after(async () => {
    await e?.close()
  })

  const cases = (): Array<{ what: string; path: string; owner: RegExp }> => [
    { what: 'server', path: `/servers/${bobs.serverId}`, owner: /./ },
    { what: 'server change of plan', path: `/servers/${bobs.serverId}/plan`, owner: /./ },
    { what: 'Plesk subscription', path: `/plesk/subscriptions/${bobs.subscriptionId}`, owner: /bt-bob\.com/ },
    { what: 'webhook endpoint', path: `/notifications/webhooks/${bobs.webhookId}`, owner: /hook-bob|webhook/i },
    { what: 'order', path: `/orders/${bobs.orderId}`, owner: /./ },
    { what: 'top-up invoice', path: `/balance/invoices/${bobs.topUpTrackId}`, owner: /./ },
  ]

  test('each of them is the 404 page for another customer, and a page for its owner', async () => {
    const failures: string[] = []
    const asAlice = await e.newContext(alice)
    const asBob = await e.newContext(bob)
    try {
      const a = await asAlice.newPage()
      const b = await asBob.newPage()
      for (const c of cases()) {
        const slug = c.what.replace(/\W+/g, '-')
        await a.goto(c.path)
        const shell = new PortalShell(a)
        try {
          await shell.notFound().waitFor()
          await screenshot(a, `isolation-${slug}-other-customer`)
        } catch {
          failures.push(
            `${c.what} ${c.path} as another customer: no 404 page (h1 ${JSON.stringify(await textOf(shell.heading()).catch(() => ''))})`,
          )
          await screenshot(a, `isolation-${slug}-other-customer-failed`)
        }
        await b.goto(c.path)
        const own = new PortalShell(b)
        try {
          const h1 = await textOf(own.heading())
          if (h1 === 'Page not found') throw new Error('404 for the owner')
          await b.getByRole('main').getByText(c.owner).first().waitFor()
          await screenshot(b, `isolation-${slug}-owner`)
        } catch (err) {
          failures.push(`${c.what} ${c.path} as its owner: ${err instanceof Error ? err.message : String(err)}`)
        }
      }
      // Something that never existed looks exactly the same.
      await a.goto('/servers/00000000-0000-4000-8000-000000000000')
      await new PortalShell(a).notFound().waitFor()
    } finally {
      await asAlice.close()
      await asBob.close()
    }
    if (failures.length > 0) throw new Error(failures.join('\n'))
  })
})
