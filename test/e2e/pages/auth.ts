import type { Locator, Page } from 'playwright-core'

/** /login: e-mail and password, then (2FA on) the authentication code step. */
export class LoginPage {
  constructor(readonly page: Page) {}
  async open(next?: string): Promise<Locator> {
    await this.page.goto(next === undefined ? '/login' : `/login?next=${encodeURIComponent(next)}`)
    return this.heading()
  }
  heading(): Locator {
    return this.page.getByRole('heading', { level: 1, name: 'Log in' })
  }
  email(): Locator {
    return this.page.getByLabel('E-mail', { exact: true })
  }
  password(): Locator {
    return this.page.getByLabel('Password', { exact: true })
  }
  code(): Locator {
    return this.page.getByLabel('Authentication code', { exact: true })
  }
  submit(): Locator {
    return this.page.getByRole('main').getByRole('button', { name: 'Log in', exact: true })
  }
  error(): Locator {
    return this.page.getByRole('main').getByRole('alert')
  }
  /** Fills and sends the first step; returns the code field the 2FA step shows. */
  async logIn(email: string, password: string): Promise<Locator> {
    await this.email().fill(email)
    await this.password().fill(password)
    await this.submit().click()
    return this.code()
  }
  async enterCode(code: string): Promise<void> {
    await this.code().fill(code)
    await this.submit().click()
  }
}

/** /signup. */
export class SignupPage {
  constructor(readonly page: Page) {}
  async open(): Promise<Locator> {
    await this.page.goto('/signup')
    return this.heading()
  }
  heading(): Locator {
    return this.page.getByRole('heading', { level: 1, name: 'Create an account' })
  }
  /** Sends the form; returns where the "check your inbox" answer appears. */
  async signUp(email: string, password: string): Promise<Locator> {
    await this.page.getByLabel('E-mail', { exact: true }).fill(email)
    await this.page.getByLabel('Password', { exact: true }).fill(password)
    await this.page.getByRole('button', { name: 'Create account' }).click()
    return this.done()
  }
  done(): Locator {
    return this.page.getByRole('heading', { level: 1, name: 'Check your inbox' })
  }
}

/** /verify-email?token=…: verifies and logs in. */
export class VerifyEmailPage {
  constructor(readonly page: Page) {}
  async open(link: string): Promise<void> {
    await this.page.goto(link)
  }
  failed(): Locator {
    return this.page.getByText('This verification link is invalid or has expired.')
  }
}

/** /forgot-password and /reset-password. */
export class PasswordResetPages {
  constructor(readonly page: Page) {}
  async openForgot(): Promise<Locator> {
    await this.page.goto('/forgot-password')
    return this.page.getByRole('heading', { level: 1, name: 'Reset your password' })
  }
  async requestLink(email: string): Promise<void> {
    await this.page.getByLabel('E-mail', { exact: true }).fill(email)
    await this.page.getByRole('button', { name: 'Send reset link' }).click()
  }
  async openReset(token: string): Promise<Locator> {
    await this.page.goto(`/reset-password?token=${encodeURIComponent(token)}`)
    return this.page.getByRole('heading', { level: 1, name: 'Choose a new password' })
  }
}
