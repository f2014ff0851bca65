import type { Locator, Page } from 'playwright-core'

/** /account/security: password, two-factor authentication, recovery codes. */
export class SecurityPage {
  constructor(readonly page: Page) {}
  async open(): Promise<Locator> {
    await this.page.goto('/account/security')
    return this.page.getByRole('heading', { name: 'Two-factor authentication' })
  }
  startTwoFactor(): Locator {
    return this.page.getByRole('button', { name: 'Set up two-factor authentication' })
  }
  /** After "set up": the secret shown for typing into an authenticator app by hand. */
  secret(): Locator {
    return this.page
      .getByRole('main')
      .getByRole('code')
      .filter({ hasText: /^[A-Z2-7 =]{16,}$/ })
  }
  codeField(): Locator {
    return this.page.getByLabel('Authentication code')
  }
  async turnOn(code: string): Promise<Locator> {
    await this.codeField().fill(code)
    await this.page.getByRole('button', { name: 'Turn on', exact: true }).click()
    return this.recoveryCodes()
  }
  recoveryCodes(): Locator {
    return this.page.getByRole('heading', { name: 'Recovery codes' })
  }
  /** Ticks "I saved them" and closes the codes. */
  async savedThem(): Promise<Locator> {
    await this.page.getByRole('checkbox', { name: 'I saved them' }).check()
    await this.page.getByRole('button', { name: 'Done', exact: true }).click()
    return this.isOn()
  }
  recoveryCodeList(): Locator {
    return this.page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem')
  }
  isOn(): Locator {
    return this.page.getByText('Two-factor authentication is on.').first()
  }
}

/** /account/sessions: the live sessions, "log out everywhere else". */
export class SessionsPage {
  constructor(readonly page: Page) {}
  async open(): Promise<Locator> {
    await this.page.goto('/account/sessions')
    return this.page.getByRole('heading', { name: 'Sessions' }).first()
  }
  logOutEverywhere(): Locator {
    return this.page.getByRole('button', { name: 'Log out everywhere else' })
  }
  rows(): Locator {
    return this.page.getByRole('main').getByRole('row')
  }
}

/** /account/keys: API keys. */
export class KeysPage {
  constructor(readonly page: Page) {}
  async open(): Promise<Locator> {
    await this.page.goto('/account/keys')
    return this.page.getByRole('heading', { name: 'API keys' }).first()
  }
  async create(name: string): Promise<Locator> {
    await this.page.getByLabel('Name', { exact: true }).fill(name)
    await this.page.getByRole('button', { name: 'Create key' }).click()
    return this.page.getByText('Copy this key now. It is shown only once.')
  }
}
