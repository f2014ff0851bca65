import type { Deps } from '../../deps.ts'
import type { Db } from '../../db/connect.ts'
import type { PleskSubscriptionStatus } from '../../db/states.ts'
import { AppError } from '../../lib/errors.ts'
import { movePleskAction } from '../../domain/state/plesk.ts'
import { recordServiceEvent } from '../../domain/events/record-object-event.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { requireStrings } from '../../outbox/payload.ts'
import type { JobContext, JobDefinition } from '../../outbox/types.ts'

type Payload = { actionId: string; subscriptionId: string }

/** Statuses in which the lifecycle or a renewal is about to change Plesk's status itself. */
const MOVING: ReadonlySet<PleskSubscriptionStatus> = new Set(['renewing', 'suspending'])

/**
 * Runs one Plesk action. Every call is a "set to a value" packet, so a retry simply sends it
 * again (no memo needed, and none wanted for resume: see below). Unreachable Plesk or HTTP 5xx is
 * retried with the runner's backoff; a Plesk refusal (errcode) is permanent. Giving up records
 * `failed` with the reason and leaves the subscription as usable as it was; a failed suspension
 * also drops the operator's hold it had written (the webspace was not suspended).
 *
 * - `ftp_password`: the new password is the job's sealed secret, erased when the job ends.
 * - `suspend`: webspace status 16.
 * - `resume`: sets Plesk to the status the lifecycle wants without the hold — active when the
 *   subscription is `active`, suspended (re-asserted) when it is suspended for non-payment — and
 *   clears the hold in its final transaction only if the status is still the one it acted on;
 *   otherwise (the lifecycle suspended it meanwhile) it is retried and decides again. While a
 *   renewal or a suspension is in flight it waits (retryable) for it to settle.
 */
export function pleskActionJob(deps: Pick<Deps, 'db' | 'plesk' | 'clock'>): JobDefinition<Payload> {
  const now = () => deps.clock.now()
  return {
    kind: JobKind.pleskAction,
    version: 1,
    parse: p => requireStrings(p, ['actionId', 'subscriptionId']),
    async handler(ctx) {
      const { actionId, subscriptionId } = ctx.payload
      const action = await deps.db
        .selectFrom('plesk_actions')
        .select(['action', 'status'])
        .where('id', '=', actionId)
        .executeTakeFirstOrThrow()
      if (action.status === 'done' || action.status === 'failed') return ctx.finish(async () => {})
      const sub = await deps.db
        .selectFrom('plesk_subscriptions')
        .select(['status', 'domain_name', 'plesk_webspace_id', 'operator_suspended_at'])
        .where('id', '=', subscriptionId)
        .executeTakeFirstOrThrow()
      if (action.action === 'ftp_password') {
        // The lifecycle may have suspended or ended it since the request: nothing is sent.
        if (sub.status !== 'active' || sub.plesk_webspace_id === null || sub.operator_suspended_at !== null) {
          return failBeforeStart(ctx, actionId, `the subscription became ${sub.status} before Plesk was asked`)
        }
        const password = await ctx.secret()
        if (password === null) throw new AppError('internal_error', 'the new FTP password is gone (job secret erased)')
        await start(deps.db, actionId)
        await deps.plesk.setFtpPassword(sub.domain_name, password)
        return done(ctx, actionId)
      }
      if (action.action === 'suspend') {
        await start(deps.db, actionId)
        await deps.plesk.suspend(sub.domain_name)
        // The customer is told (mail, webhooks) like any suspension, with the operator as the reason.
        return done(ctx, actionId, trx =>
          recordServiceEvent(trx, 'service.suspended', { kind: 'plesk_subscription', id: subscriptionId }, now(), {
            // Human text like the lifecycle's; the operator's own note may be internal and stays out.
            reason: 'suspended by the operator; a payment does not lift it, the operator does',
          }),
        )
      }
      if (MOVING.has(sub.status)) {
        throw new AppError('invalid_state', `waiting for the subscription to leave ${sub.status}`, { retryable: true })
      }
      await start(deps.db, actionId)
      const seen = sub.status
      if (seen === 'active') await deps.plesk.activate(sub.domain_name)
      else await deps.plesk.suspend(sub.domain_name)
      await ctx.finish(async trx => {
        const res = await trx
          .updateTable('plesk_subscriptions')
          .set({
            operator_suspended_at: null,
            operator_suspended_by: null,
            operator_suspend_reason: null,
            updated_at: now(),
          })
          .where('id', '=', subscriptionId)
          .where('status', '=', seen)
          .executeTakeFirst()
        if (res.numUpdatedRows === 0n) {
          throw new AppError('invalid_state', `the subscription left ${seen} while it was resumed; deciding again`, {
            retryable: true,
          })
        }
        await movePleskAction(trx, actionId, {
          from: 'running',
          to: 'done',
          set: { finished_at: now() },
          now: now(),
          required: true,
        })
        // Usable again only when nothing else holds it; still unpaid, it stays suspended and says nothing.
        if (seen === 'active') {
          await recordServiceEvent(trx, 'service.resumed', { kind: 'plesk_subscription', id: subscriptionId }, now())
        }
      })
    },
    async onFailure(trx, _job, payload, reason) {
      const failed = await movePleskAction(trx, payload.actionId, {
        from: ['queued', 'running'],
        to: 'failed',
        set: { error: reason.length > 500 ? `${reason.slice(0, 500)}…` : reason, finished_at: now() },
        now: now(),
      })
      const action = await trx
        .selectFrom('plesk_actions')
        .select('action')
        .where('id', '=', payload.actionId)
        .executeTakeFirstOrThrow()
      // The hold was written with the request; Plesk never suspended it, so it must not stand.
      if (failed && action.action === 'suspend') {
        await trx
          .updateTable('plesk_subscriptions')
          .set({
            operator_suspended_at: null,
            operator_suspended_by: null,
            operator_suspend_reason: null,
            updated_at: now(),
          })
          .where('id', '=', payload.subscriptionId)
          .execute()
      }
    },
    // An operator's retry of a failed action changes nothing: the action is asked for again.
    async onRetry() {},
  }

  async function start(db: Db, actionId: string): Promise<void> {
    await movePleskAction(db, actionId, { from: 'queued', to: 'running', now: now() })
  }

  async function done(ctx: JobContext<Payload>, actionId: string, also?: (trx: Db) => Promise<void>): Promise<void> {
    await ctx.finish(async trx => {
      await movePleskAction(trx, actionId, {
        from: 'running',
        to: 'done',
        set: { finished_at: now() },
        now: now(),
        required: true,
      })
      await also?.(trx)
    })
  }

  async function failBeforeStart(ctx: JobContext<Payload>, actionId: string, reason: string): Promise<void> {
    await ctx.finish(async trx => {
      await movePleskAction(trx, actionId, {
        from: ['queued', 'running'],
        to: 'failed',
        set: { error: reason, finished_at: now() },
        now: now(),
      })
    })
  }
}
