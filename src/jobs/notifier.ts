import { claimDue } from '../domain/notifications/claim.ts'
import { fanOutEvents } from '../domain/notifications/fan-out.ts'
import type { NotifyDeps, NotifySettings } from '../domain/notifications/notify-deps.ts'
import { sendMailDelivery } from '../domain/notifications/send-mail.ts'
import { sendWebhookDelivery, type SendOutcome } from '../domain/notifications/send-webhook.ts'

/** What one round did; a round that did nothing means nothing is due. */
export interface NotifyRound {
  fannedOut: number
  webhooks: Partial<Record<SendOutcome, number>>
  mails: Partial<Record<SendOutcome, number>>
}

const work = (r: NotifyRound) =>
  r.fannedOut + Object.values(r.webhooks).reduce((a, b) => a + b, 0) + Object.values(r.mails).reduce((a, b) => a + b, 0)

/**
 * The notification worker: fans committed events out into deliveries, then claims what is due
 * and sends it — webhooks and mail side by side, each claimed batch in parallel. It keeps no
 * state of its own (everything is in the delivery rows), so any number run on one PostgreSQL and
 * one killed mid-send loses nothing: its claims' leases run out and another worker sends them.
 */
export class Notifier {
  private loop: Promise<void> | undefined
  private stopping = false
  private wake: (() => void) | undefined

  constructor(
    private readonly deps: NotifyDeps,
    private readonly settings: NotifySettings,
    private readonly pollMs: number,
  ) {}

  /** One round: fan out everything committed, then one claimed batch of each kind, sent. */
  async round(): Promise<NotifyRound> {
    const r: NotifyRound = { fannedOut: 0, webhooks: {}, mails: {} }
    for (;;) {
      const n = await fanOutEvents(this.deps, this.settings.fanOutBatch)
      r.fannedOut += n
      if (n < this.settings.fanOutBatch || this.stopping) break
    }
    const now = this.deps.clock.now()
    const [hooks, mails] = await Promise.all([
      claimDue(this.deps.db, 'webhook_deliveries', now, this.settings.sendBatch, this.settings.leaseMs),
      this.deps.mailer === undefined
        ? { token: '', rows: [] }
        : claimDue(this.deps.db, 'mail_deliveries', now, this.settings.sendBatch, this.settings.leaseMs),
    ])
    const count = (into: Partial<Record<SendOutcome, number>>) => (o: SendOutcome) => {
      into[o] = (into[o] ?? 0) + 1
    }
    const failed = (kind: string, id: string) => (err: unknown) => {
      // The claim stays `sending`; its lease runs out and the delivery is sent again.
      this.deps.logger.error({ error: String(err), kind, delivery_id: id }, 'could not send a delivery')
    }
    await Promise.all([
      ...hooks.rows.map(c =>
        sendWebhookDelivery(this.deps, this.settings, c, hooks.token)
          .then(count(r.webhooks))
          .catch(failed('webhook', c.id)),
      ),
      ...mails.rows.map(c =>
        sendMailDelivery(this.deps, this.settings, c, mails.token).then(count(r.mails)).catch(failed('mail', c.id)),
      ),
    ])
    return r
  }

  /** Rounds until one finds nothing due (tests, and `npm start` after seeding). */
  async drain(maxRounds = 1000): Promise<void> {
    for (let i = 0; i < maxRounds; i++) {
      if (work(await this.round()) === 0) return
    }
  }

  start(): void {
    if (this.loop) return
    this.stopping = false
    this.loop = (async () => {
      while (!this.stopping) {
        const r = await this.round().catch(err => {
          this.deps.logger.error({ error: String(err) }, 'notification round failed')
          return undefined
        })
        if (r !== undefined && work(r) > 0) continue
        await new Promise<void>(resolve => {
          const t = setTimeout(resolve, this.pollMs)
          this.wake = () => {
            clearTimeout(t)
            resolve()
          }
        })
      }
    })()
  }

  /** Wakes the loop early (a test, or a request that just committed an event). */
  poke(): void {
    this.wake?.()
  }

  /** Stops after the current round (whose sends finish and are recorded). */
  async stop(): Promise<void> {
    this.stopping = true
    this.wake?.()
    await this.loop
    this.loop = undefined
  }
}
