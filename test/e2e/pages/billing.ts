import type { Locator, Page } from 'playwright-core'

/** /balance: the current balance, the top-up form, the ledger; /balance/invoices/:trackId. */
export class BalancePage {
  constructor(readonly page: Page) {}
  async open(): Promise<Locator> {
    await this.page.goto('/balance')
    return this.page.getByRole('heading', { level: 1, name: 'Balance' })
  }
  /** The "Current balance" section (its amount). */
  current(): Locator {
    return this.page.getByRole('region', { name: 'Current balance' })
  }
  /** Asks for a crypto invoice of `amount` EUR; returns the link to the payer's checkout page. */
  async topUp(amount: string): Promise<Locator> {
    await this.page.getByLabel('Amount (EUR)').fill(amount)
    await this.page.getByRole('button', { name: 'Create the invoice' }).click()
    return this.checkoutLink()
  }
  invoice(): Locator {
    return this.page.getByRole('region', { name: 'Invoice' })
  }
  checkoutLink(): Locator {
    return this.invoice().getByRole('link', { name: 'Open the payment page' }).first()
  }
  paidNotice(): Locator {
    return this.invoice().getByText('Paid. The amount has been added to your balance.')
  }
}

/** oxbill's own checkout page of a white-label invoice (`payment_url`); the fake wallet pays it. */
export class CheckoutPage {
  constructor(readonly page: Page) {}
  heading(): Locator {
    return this.page.getByRole('heading', { level: 1, name: /^Pay / })
  }
  async pay(): Promise<Locator> {
    await this.page.getByRole('button', { name: 'Pay', exact: true }).click()
    return this.status()
  }
  status(): Locator {
    return this.page.getByText(/^Status:/)
  }
}
