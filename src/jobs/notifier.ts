import { claimDue } from '../domain/notifications/claim.ts'
import { fanOutEvents } from '../domain/notifications/fan-out.ts'
import type { NotifyDeps, NotifySettings } from '../domain/notifications/notify-deps.ts'
import { sendMailDelivery } from '../domain/notifications/send-mail.ts'
import { sendWebhookDelivery } from '../domain/notifications/send-webhook.ts'

/** What one round started; a round that started nothing means nothing is due (or every slot is busy). */
export interface NotifyRound {
  fannedOut: number
  /** Deliveries claimed and being sent (webhooks and mail). */
  claimed: number
}

/**
 * The notification worker: fans committed events out into deliveries, then claims what is due
 * and sends it — webhooks and mail side by side, up to `sendBatch` sends of each kind at once.
 * A send holds only its own slot: a receiver that answers slowly (up to the 15 s timeout) delays
 * its own delivery, not the others, because the loop claims again as soon as a slot is free.
 * It keeps no state of its own (everything is in the delivery rows), so any number run on one
 * PostgreSQL and one killed mid-send loses nothing: its claims' leases run out and another
 * worker sends them.
 */
export class Notifier {
  private loop: Promise<void> | undefined
  private stopping = false
  private wake: (() => void) | undefined
  private readonly sending = { webhook: new Set<Promise<void>>(), mail: new Set<Promise<void>>() }

  constructor(
    private readonly deps: NotifyDeps,
    private readonly settings: NotifySettings,
    private readonly pollMs: number,
  ) {}

  /** One round: fan out everything committed, then claim as many due deliveries as there are free slots and start sending them. */
  async round(): Promise<NotifyRound> {
    const r: NotifyRound = { fannedOut: 0, claimed: 0 }
    for (;;) {
      const n = await fanOutEvents(this.deps, this.settings.fanOutBatch)
      r.fannedOut += n
      if (n < this.settings.fanOutBatch || this.stopping) break
    }
    const now = this.deps.clock.now()
    const free = (kind: 'webhook' | 'mail') => this.settings.sendBatch - this.sending[kind].size
    const [hooks, mails] = await Promise.all([
      free('webhook') > 0
        ? claimDue(this.deps.db, 'webhook_deliveries', now, free('webhook'), this.settings.leaseMs)
        : { token: '', rows: [] },
      this.deps.mailer !== undefined && free('mail') > 0
        ? claimDue(this.deps.db, 'mail_deliveries', now, free('mail'), this.settings.leaseMs)
        : { token: '', rows: [] },
    ])
    for (const c of hooks.rows) {
      this.track('webhook', c.id, sendWebhookDelivery(this.deps, this.settings, c, hooks.token))
    }
    for (const c of mails.rows) {
      this.track('mail', c.id, sendMailDelivery(this.deps, this.settings, c, mails.token))
    }
    r.claimed = hooks.rows.length + mails.rows.length
    return r
  }

  private track(kind: 'webhook' | 'mail', id: string, send: Promise<unknown>): void {
    const p: Promise<void> = send
      .then(
        () => undefined,
        (err: unknown) => {
          // The claim stays `sending`; its lease runs out and the delivery is sent again.
          this.deps.logger.error({ error: String(err), kind, delivery_id: id }, 'could not send a delivery')
        },
      )
      .finally(() => {
        this.sending[kind].delete(p)
        // A free slot: claim again now rather than at the next poll.
        this.wake?.()
      })
    this.sending[kind].add(p)
  }

  private async settle(): Promise<void> {
    await Promise.allSettled([...this.sending.webhook, ...this.sending.mail])
  }

  /** Rounds, each waiting for its sends, until one finds nothing due (tests, and scripts). */
  async drain(maxRounds = 1000): Promise<void> {
    for (let i = 0; i < maxRounds; i++) {
      const r = await this.round()
      await this.settle()
      if (r.fannedOut + r.claimed === 0) return
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
        if (r !== undefined && r.fannedOut + r.claimed > 0) continue
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

  /** Wakes the loop early (a test, a finished send, or a request that just committed an event). */
  poke(): void {
    this.wake?.()
  }

  /** Stops claiming, then waits for the sends under way (their outcomes are recorded). */
  async stop(): Promise<void> {
    this.stopping = true
    this.wake?.()
    await this.loop
    this.loop = undefined
    await this.settle()
  }
}
