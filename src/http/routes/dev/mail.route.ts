import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { Deps } from '../../../deps.ts'
import { AppError, notFound } from '../../../lib/errors.ts'
import { isLoopback } from '../../auth.ts'
import { DEV_MAIL_CSP, mailListPage, mailMessagePage } from './mail-pages.ts'

const MailParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false })

/**
 * Zero-setup mode's mailbox in the browser: `GET /dev/mail` (newest first), `/dev/mail/:id` (one
 * message) and `/dev/mail/:id.eml` (as received). Registered only while the in-process mail sink
 * runs (no SMTP_URL, fake providers), and kept out of the OpenAPI document: it is a developer's
 * page, not the API. No API key, but loopback clients only, decided like the demo key's rule
 * (`req.ip`, which follows X-Forwarded-For only from a TRUST_PROXY peer): mail holds customers'
 * addresses and order details, and the sink may share a host with a public listener.
 */
export const devMailRoutes =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    const mailbox = deps.devMail
    if (!mailbox) return

    const loopbackOnly = async (req: FastifyRequest): Promise<void> => {
      if (!isLoopback(req.ip)) throw new AppError('forbidden', 'the /dev/mail pages answer loopback clients only')
    }
    const html = (reply: FastifyReply, body: string): FastifyReply =>
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-security-policy', DEV_MAIL_CSP)
        .header('referrer-policy', 'no-referrer')
        .header('x-content-type-options', 'nosniff')
        .send(body)

    app.get(
      '/dev/mail',
      { config: { auth: 'none' }, schema: { hide: true }, onRequest: loopbackOnly },
      async (_req, reply) => html(reply, mailListPage(mailbox.listMessages())),
    )

    app.get(
      '/dev/mail/:id',
      { config: { auth: 'none' }, schema: { hide: true, params: MailParams }, onRequest: loopbackOnly },
      async (req, reply) => {
        const raw = req.params.id.endsWith('.eml')
        const id = raw ? req.params.id.slice(0, -'.eml'.length) : req.params.id
        const message = await mailbox.readMessage(id)
        if (!message) throw notFound('mail', id)
        if (!raw) return html(reply, mailMessagePage(id, message))
        // As text, so the browser shows it rather than handing it to a mail client.
        return reply
          .type('text/plain; charset=utf-8')
          .header('cache-control', 'no-store')
          .header('content-security-policy', "default-src 'none'; frame-ancestors 'none'")
          .header('x-content-type-options', 'nosniff')
          .send(message.raw)
      },
    )
  }
