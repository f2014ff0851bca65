import type { Locator, Page } from 'playwright-core'

/** /plesk/subscriptions/:id: overview, manage (auto-renew, Open Plesk, cancel), FTP password, actions. */
export class SubscriptionPage {
  constructor(readonly page: Page) {}
  async open(id: string): Promise<Locator> {
    await this.page.goto(`/plesk/subscriptions/${encodeURIComponent(id)}`)
    return this.page.getByRole('heading', { level: 1 })
  }
  manage(): Locator {
    return this.page.getByRole('region', { name: 'Manage' })
  }
  autoRenew(): Locator {
    return this.manage().getByRole('switch', { name: 'Renew automatically from the balance' })
  }
  openPleskButton(): Locator {
    return this.manage().getByRole('button', { name: 'Open Plesk' })
  }
  /** Fills the FTP password form twice and submits it. */
  async setFtpPassword(password: string, confirm = password): Promise<void> {
    const form = this.page.getByRole('form', { name: 'FTP password' })
    await form.getByLabel('New FTP password').fill(password)
    await form.getByLabel('Type it again').fill(confirm)
    await form.getByRole('button', { name: 'Change the FTP password' }).click()
  }
  ftpField(): Locator {
    return this.page.getByRole('form', { name: 'FTP password' }).getByLabel('New FTP password')
  }
  actionsTable(): Locator {
    return this.page.getByRole('table', { name: 'Recent actions' })
  }
  actionRow(name: string): Locator {
    return this.actionsTable()
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name, exact: true }) })
      .first()
  }
}
