import type { Locator, Page } from 'playwright-core'

/** /balance: the balance, the ledger and the crypto top-up. */
export class BalancePage {
  constructor(readonly page: Page) {}
  async open(): Promise<Locator> {
    await this.page.goto('/balance')
    return this.page.getByRole('heading', { level: 1 })
  }
  /** The current balance as the page shows it (the first amount after the "Balance" term). */
  balance(): Locator {
    return this.page.getByRole('main').getByRole('definition').first()
  }
  /** Asks for a crypto invoice of `amount` EUR; returns the link to the payer's checkout page. */
  async topUp(amount: string): Promise<Locator> {
    await this.page
      .getByLabel(/amount/i)
      .first()
      .fill(amount)
    await this.page
      .getByRole('button', { name: /top up|pay|invoice/i })
      .first()
      .click()
    return this.checkoutLink()
  }
  checkoutLink(): Locator {
    return this.page.getByRole('link', { name: /pay|checkout|open/i }).first()
  }
  invoice(): Locator {
    return this.page.getByRole('region', { name: /invoice|payment/i }).first()
  }
}

/** oxbill's own checkout page of a white-label invoice (`payment_url`); the fake wallet pays it. */
export class CheckoutPage {
  constructor(readonly page: Page) {}
  payButton(): Locator {
    return this.page.getByRole('button', { name: /^pay/i }).first()
  }
  async pay(): Promise<Locator> {
    await this.payButton().click()
    return this.status()
  }
  status(): Locator {
    return this.page.getByText(/paid|confirming|paying/i).first()
  }
}
