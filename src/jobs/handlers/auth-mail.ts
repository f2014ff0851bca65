import type { Deps } from '../../deps.ts'
import { AUTH_MAIL_TEMPLATES, renderAuthMail, type AuthMailTemplate } from '../../domain/notifications/render-mail.ts'
import { mailOperator } from '../../domain/notifications/send-mail.ts'
import type { AuthMailPayload } from '../../domain/accounts/auth-mail.ts'
import { mailMessageId } from '../../integrations/mail/mailer.ts'
import { AppError } from '../../lib/errors.ts'
import { JobKind } from '../../outbox/kinds.ts'
import { requireStrings } from '../../outbox/payload.ts'
import type { JobDefinition } from '../../outbox/types.ts'

/**
 * Sends one account mail (verification, password reset, "an account exists") through the same
 * SMTP adapter and templates as the event mails. The link (with its token) is the job's sealed
 * secret, erased when the job ends; the Message-ID derives from the job id, so a retry after a
 * lost answer carries the same one. SMTP down or a 4xx: retried with the runner's backoff.
 */
export function authMailJob(
  deps: Pick<Deps, 'config' | 'logger'> & { mailer?: Deps['mailer'] },
): JobDefinition<AuthMailPayload> {
  return {
    kind: JobKind.authMail,
    version: 1,
    parse: p => {
      const v = requireStrings(p, ['template', 'to', 'user_id', 'valid_for'])
      if (!(AUTH_MAIL_TEMPLATES as readonly string[]).includes(v.template)) {
        throw new AppError('internal_error', `unknown account mail ${v.template}`)
      }
      return { ...v, template: v.template as AuthMailTemplate }
    },
    async handler(ctx) {
      const link = await ctx.secret()
      if (link === null) throw new AppError('internal_error', 'the link of this mail is gone')
      if (deps.mailer === undefined) {
        deps.logger.warn({ job: ctx.job.id, template: ctx.payload.template }, 'no mail is sent (SMTP_URL is not set)')
        await ctx.finish(async () => {})
        return
      }
      const config = deps.config
      const mail = renderAuthMail(
        ctx.payload.template,
        { customer: { email: ctx.payload.to }, link, valid_for: ctx.payload.valid_for },
        { overrideDir: config.mail.templatesDir, operator: mailOperator(config) },
      )
      const sent = await deps.mailer.send({
        to: ctx.payload.to,
        messageId: mailMessageId(ctx.job.id, ctx.payload.to, config.mail.fromAddress),
        ...mail,
      })
      if (!sent.accepted) throw new AppError('provider_error', `refused: ${sent.response}`, { retryable: false })
      await ctx.finish(async () => {})
    },
    async onFailure() {},
    async onRetry() {},
    secretName: 'account link',
  }
}
