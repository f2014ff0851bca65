import type { Locator, Page } from 'playwright-core'

/** /servers/new: plan, image, location, then the quote and the confirm step. */
export class OrderVpsPage {
  constructor(readonly page: Page) {}
  async open(): Promise<Locator> {
    await this.page.goto('/servers/new')
    return this.page.getByRole('heading', { level: 1 })
  }
  /** Picks the choices and goes to the quote; returns the button that places the order. */
  async choose(o: {
    plan: string | RegExp
    image?: string | RegExp
    location?: string | RegExp
    name?: string
  }): Promise<Locator> {
    await this.page.getByRole('radio', { name: o.plan }).first().check()
    const image = this.page.getByRole('combobox', { name: /image|operating system/i })
    await pickOption(image, o.image)
    await pickOption(this.page.getByRole('combobox', { name: /location/i }), o.location)
    if (o.name !== undefined) await this.page.getByLabel(/name/i).last().fill(o.name)
    await this.page.getByRole('button', { name: /quote|continue|review/i }).click()
    return this.placeButton()
  }
  quote(): Locator {
    return this.page.getByRole('main').getByText(/€|EUR/).first()
  }
  placeButton(): Locator {
    return this.page.getByRole('button', { name: /^(place|confirm|order|pay)/i }).first()
  }
  viewService(): Locator {
    return this.page.getByRole('link', { name: /view (the )?(server|service)/i })
  }
}

/** A select's option by label, or its first real option when none is named. */
async function pickOption(select: Locator, label?: string | RegExp): Promise<void> {
  await select.waitFor()
  if (label === undefined) {
    const values = await select
      .locator('option')
      .evaluateAll(os => os.map(o => (o as HTMLOptionElement).value).filter(v => v !== ''))
    if (values[0] === undefined) throw new Error('the select has no options')
    await select.selectOption(values[0])
    return
  }
  const labels = await select.locator('option').allTextContents()
  const hit = labels.find(l => (typeof label === 'string' ? l.includes(label) : label.test(l)))
  if (hit === undefined) throw new Error(`no option ${String(label)} in ${labels.join(', ')}`)
  await select.selectOption({ label: hit })
}

/** /servers/:id: status, IP, power, term (change plan, cancel). */
export class ServerPage {
  constructor(readonly page: Page) {}
  async open(id: string): Promise<Locator> {
    await this.page.goto(`/servers/${encodeURIComponent(id)}`)
    return this.page.getByRole('heading', { level: 1 })
  }
  /** The value of one fact (a dt/dd pair) in the overview. */
  fact(term: string | RegExp): Locator {
    return this.page
      .getByRole('main')
      .locator('dl div')
      .filter({ has: this.page.getByRole('term').filter({ hasText: term }) })
      .getByRole('definition')
  }
  status(): Locator {
    return this.fact(/^status$/i).first()
  }
  primaryIp(): Locator {
    return this.fact(/ip/i).first()
  }
  powerButton(action: string | RegExp): Locator {
    return this.page.getByRole('group', { name: /power/i }).getByRole('button', { name: action })
  }
  /** Asks for a power action; returns the confirm dialog's button (start needs none). */
  async power(action: string): Promise<Locator> {
    await this.powerButton(new RegExp(`^${action}`, 'i')).click()
    return this.page.getByRole('dialog').getByRole('button', { name: new RegExp(`^${action}`, 'i') })
  }
  latestAction(): Locator {
    return this.page.getByRole('main').locator('.action-progress')
  }
  changePlanLink(): Locator {
    return this.page.getByRole('link', { name: /change (the )?plan/i })
  }
  cancelButton(): Locator {
    return this.page
      .getByRole('main')
      .getByRole('button', { name: /^cancel/i })
      .first()
  }
  async cancelAtEndOfTerm(): Promise<Locator> {
    await this.cancelButton().click()
    return this.page
      .getByRole('dialog')
      .getByRole('button', { name: /cancel/i })
      .last()
  }
  cancelledNotice(): Locator {
    return this.page
      .getByRole('main')
      .getByRole('alert')
      .filter({ hasText: /cancel/i })
  }
}

/** /servers/:id/plan: pick a plan, see the quote, confirm. */
export class ChangePlanPage {
  constructor(readonly page: Page) {}
  async open(serverId: string): Promise<Locator> {
    await this.page.goto(`/servers/${encodeURIComponent(serverId)}/plan`)
    return this.page.getByRole('heading', { level: 1 })
  }
  async choose(plan: string | RegExp): Promise<Locator> {
    await this.page.getByRole('radio', { name: plan }).first().check()
    await this.page.getByRole('button', { name: /quote|continue|review/i }).click()
    return this.placeButton()
  }
  placeButton(): Locator {
    return this.page.getByRole('button', { name: /^(place|confirm|order|pay|change)/i }).first()
  }
}
