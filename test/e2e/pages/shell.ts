import type { Locator, Page } from 'playwright-core'

/** What every portal page has: the main navigation, the log-out button, one h1. */
export class PortalShell {
  constructor(readonly page: Page) {}
  heading(name?: string | RegExp): Locator {
    return this.page.getByRole('heading', { level: 1, ...(name !== undefined ? { name } : {}) })
  }
  nav(): Locator {
    return this.page.getByRole('navigation', { name: 'Main' })
  }
  navLink(name: string | RegExp): Locator {
    return this.nav().getByRole('link', { name, exact: typeof name === 'string' })
  }
  async goTo(name: string | RegExp): Promise<Locator> {
    await this.navLink(name).click()
    return this.heading()
  }
  logOutButton(): Locator {
    return this.nav().getByRole('button', { name: 'Log out', exact: true })
  }
  async logOut(): Promise<void> {
    await this.logOutButton().click()
  }
  /** The 404 page (also what another customer's object by URL shows). */
  notFound(): Locator {
    return this.heading('Page not found')
  }
  /** An open dialog (Radix: role=dialog with the title as its name). */
  dialog(name?: string | RegExp): Locator {
    return this.page.getByRole('dialog', name !== undefined ? { name } : {})
  }
  toast(): Locator {
    return this.page.getByRole('status')
  }
}
