import type { Locator, Page } from 'playwright-core'

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/

/** The confirm step every order goes through: the API's quote, how to pay, "Confirm and pay". */
export class ConfirmStep {
  constructor(readonly page: Page) {}
  /** The quote's section (lines, total, balance). */
  quote(): Locator {
    return this.page.getByRole('main').getByRole('table', { name: 'What the quote is made of' })
  }
  confirmButton(): Locator {
    return this.page.getByRole('button', { name: /^Confirm and pay/ })
  }
  async confirm(): Promise<Locator> {
    await this.confirmButton().click()
    return this.serviceLink()
  }
  serviceLink(): Locator {
    return this.page.getByRole('link', { name: 'Go to the service' })
  }
  result(): Locator {
    return this.page.getByRole('main').getByText(/^(Order placed|Order completed)/)
  }
}

/** /servers/new: plan, image, location, then the quote and the confirm step. */
export class OrderVpsPage {
  constructor(readonly page: Page) {}
  readonly confirmStep = (): ConfirmStep => new ConfirmStep(this.page)
  async open(): Promise<Locator> {
    await this.page.goto('/servers/new')
    return this.page.getByRole('heading', { level: 1, name: 'Order a VPS' })
  }
  /** Picks the choices and asks for the price; returns the confirm step. */
  async choose(o: { plan: string | RegExp; image: string; location: string; name?: string }): Promise<ConfirmStep> {
    await this.page.getByRole('radio', { name: o.plan }).check()
    await this.page.getByLabel('Operating system').selectOption({ label: o.image })
    await this.page.getByLabel('Location').selectOption({ label: o.location })
    if (o.name !== undefined) await this.page.getByLabel(/^Server name/).fill(o.name)
    await this.page.getByRole('button', { name: 'See the price' }).click()
    return this.confirmStep()
  }
}

/** /servers/:id: status, IP, power, term (change plan, cancel). */
export class ServerPage {
  constructor(readonly page: Page) {}
  async open(id: string): Promise<Locator> {
    await this.page.goto(`/servers/${encodeURIComponent(id)}`)
    return this.page.getByRole('heading', { level: 1 })
  }
  overview(): Locator {
    return this.page.getByRole('region', { name: 'Overview' })
  }
  /** The overview's status value once it reads `status` (e.g. "Active"). */
  status(status: string): Locator {
    return this.overview()
      .getByRole('definition')
      .filter({ hasText: new RegExp(`^${status}`) })
  }
  primaryIp(): Locator {
    return this.overview().getByRole('definition').filter({ hasText: IPV4 }).first()
  }
  powerButton(name: string): Locator {
    return this.page.getByRole('group', { name: 'Power actions' }).getByRole('button', { name, exact: true })
  }
  /** Asks for a power action; returns the confirm dialog's button (start needs none). */
  async power(name: 'Reboot' | 'Power off' | 'Shut down'): Promise<Locator> {
    await this.powerButton(name).click()
    return this.page.getByRole('dialog').getByRole('button', { name, exact: true })
  }
  /** "Last action: Reboot …" and, once it ended, "Finished …". */
  lastAction(name: string): Locator {
    return this.page.getByRole('main').getByText(`Last action: ${name}`)
  }
  actionFinished(): Locator {
    return this.page.getByRole('main').getByText(/^Finished/)
  }
  changePlanLink(): Locator {
    return this.page.getByRole('link', { name: 'Change plan', exact: true })
  }
  /** The cancel dialog (end of term or now, with the API's preview). */
  cancelDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Cancel this server?' })
  }
  /** Opens the cancel dialog with "at the end of the term" chosen; returns its confirm button. */
  async cancelAtEndOfTerm(): Promise<Locator> {
    await this.page.getByRole('main').getByRole('button', { name: 'Cancel the server…' }).click()
    await this.cancelDialog()
      .getByRole('radio', { name: /^At the end of the term/ })
      .check()
    return this.cancelDialog().getByRole('button', { name: 'Cancel at the end of the term' })
  }
  /** Opens the cancel dialog with "immediately" chosen and confirmed; returns its confirm button. */
  async cancelNow(): Promise<Locator> {
    await this.page.getByRole('main').getByRole('button', { name: 'Cancel the server…' }).click()
    await this.cancelDialog()
      .getByRole('radio', { name: /^Immediately/ })
      .check()
    await this.cancelDialog().getByLabel('I understand that the data is deleted now and cannot be recovered').check()
    return this.cancelDialog().getByRole('button', { name: 'Delete it now' })
  }
  /** The preview's refund line ("None: …" or an amount). */
  refundPreview(): Locator {
    return this.cancelDialog().getByRole('region', { name: 'What happens' }).getByRole('definition').nth(1)
  }
  manageButton(name: string | RegExp): Locator {
    return this.page.getByRole('region', { name: 'Operating system and access' }).getByRole('button', { name })
  }
  /** "Open the console": a link to the console page, in a new tab. */
  consoleLink(): Locator {
    return this.page.getByRole('region', { name: 'Operating system and access' }).getByRole('link', {
      name: 'Open the console',
    })
  }
  /** Opens the reinstall dialog, picks the image, confirms; returns the dialog. */
  async reinstall(image: string | RegExp): Promise<Locator> {
    await this.manageButton('Reinstall…').click()
    const dialog = this.page.getByRole('dialog', { name: 'Reinstall the server?' })
    const select = dialog.getByLabel('Operating system to install')
    const options = await select.locator('option').allTextContents()
    const label = options.find(o => (typeof image === 'string' ? o.startsWith(image) : image.test(o)))
    if (label === undefined) throw new Error(`no image ${String(image)} among ${options.join(', ')}`)
    await select.selectOption({ label })
    await dialog.getByLabel('I understand that all data on this server is deleted').check()
    await dialog.getByRole('button', { name: 'Erase and reinstall' }).click()
    return this.page.getByRole('dialog', { name: 'The new root password' })
  }
  /** The password shown in a dialog (a root or console password). */
  secretIn(dialog: Locator, label: string): Locator {
    return dialog.getByRole('group', { name: label }).locator('code')
  }
  actionsTable(): Locator {
    return this.page.getByRole('table', { name: 'Recent actions' })
  }
  /** The newest row of the actions table for an action named `name`. */
  actionRow(name: string): Locator {
    return this.actionsTable()
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name, exact: true }) })
      .first()
  }
  bootMode(): Locator {
    return this.page
      .getByRole('region', { name: 'Operating system and access' })
      .getByRole('definition')
      .filter({ hasText: /disk|rescue|unknown/ })
  }
  cancelledNotice(): Locator {
    return this.page.getByRole('main').getByRole('alert').filter({ hasText: 'Cancelled at the end of the term' })
  }
  undoCancelButton(): Locator {
    return this.page.getByRole('button', { name: 'Keep the server (undo the cancellation)' })
  }
}

/** /servers/:id/plan: pick a plan, see the quote, confirm. */
export class ChangePlanPage {
  constructor(readonly page: Page) {}
  async open(serverId: string): Promise<Locator> {
    await this.page.goto(`/servers/${encodeURIComponent(serverId)}/plan`)
    return this.heading()
  }
  heading(): Locator {
    return this.page.getByRole('heading', { level: 1, name: 'Change the plan' })
  }
  async choose(plan: string | RegExp): Promise<ConfirmStep> {
    await this.page.getByRole('radio', { name: plan }).check()
    await this.page.getByRole('button', { name: 'See the price' }).click()
    return new ConfirmStep(this.page)
  }
}

/** /servers/:id/console: noVNC's screen, its status line and its controls. */
export class ConsolePage {
  constructor(readonly page: Page) {}
  status(): Locator {
    return this.page.getByRole('main').getByRole('status')
  }
  screen(): Locator {
    return this.page.getByRole('application', { name: /^Screen of / })
  }
  button(name: 'Send Ctrl+Alt+Del' | 'Disconnect' | 'Reconnect'): Locator {
    return this.page.getByRole('main').getByRole('button', { name })
  }
  /** Distinct colours of noVNC's canvas, and the RGB at a framebuffer point (the canvas is framebuffer-sized). */
  async canvas(x: number, y: number): Promise<{ colours: number; width: number; pixel: number[] }> {
    return this.screen()
      .locator('canvas')
      .evaluate(
        (el, at) => {
          const c = el as HTMLCanvasElement
          const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
          const seen = new Set<number>()
          for (let i = 0; i < data.length; i += 4) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!)
          const o = (at.y * c.width + at.x) * 4
          return { colours: seen.size, width: c.width, pixel: [data[o]!, data[o + 1]!, data[o + 2]!] }
        },
        { x, y },
      )
  }
}
