import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Deps } from '../../../deps.ts'
import { notFound, validation } from '../../../lib/errors.ts'
import { checkoutPage } from '../../../domain/payments/checkout-page.ts'
import { payWithDemoWallet } from '../../../domain/payments/pay-demo-wallet.ts'
import { withErrors } from '../../schemas/common.ts'
import { CheckoutParams, FakeWalletResponse } from './payments.schema.ts'

/** A coin amount the fake wallet may send. */
const COIN_AMOUNT = /^\d{1,12}(\.\d{1,8})?$/

/**
 * The payer's checkout page of a white-label invoice, its `payment_url`: no API key (the payer
 * has none); the payment's random UUID is what finds it, and the page shows only what paying
 * needs (amount, coin, network, address, memo, QR code, expiry, status), never the customer.
 *
 * In zero-setup mode (the fake OxaPay) a POST to it pays the address from the fake's wallet, so
 * `curl -X POST "<payment_url>"` pays an invoice locally, and the page's form does too (form posts
 * are answered with a 303 back to the page). With a real OXAPAY_URL that route does not exist.
 */
export const checkoutRoutes =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    // This plugin's own parsers: the page's form (urlencoded), JSON, or no body at all.
    app.removeAllContentTypeParsers()
    app.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8')
      const type = String(req.headers['content-type'] ?? '')
      try {
        if (text.trim() === '') return done(null, {})
        if (type.startsWith('application/x-www-form-urlencoded')) {
          return done(null, Object.fromEntries(new URLSearchParams(text)))
        }
        const parsed: unknown = JSON.parse(text)
        done(null, parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {})
      } catch {
        done(validation('the body must be a form or a JSON object', 'body'), undefined)
      }
    })

    const find = async (id: string) => {
      const p = await deps.db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst()
      // Only a white-label invoice has a page here (a hosted invoice's payment_url is OxaPay's).
      if (!p || p.address === null || p.oxapay_type !== 'white_label') throw notFound('checkout', id)
      return p
    }

    app.get(
      '/checkout/:payment_id',
      {
        config: { auth: 'none' },
        schema: {
          operationId: 'checkoutPage',
          tags: ['payments'],
          summary:
            "The payer's checkout page of a crypto invoice (HTML): amount, coin, network, address, memo, QR code, expiry",
          params: CheckoutParams,
          produces: ['text/html'],
          response: withErrors({ 200: Type.String({ description: 'An HTML page' }) }, ['not_found']),
        },
      },
      async (req, reply) => {
        const p = await find(req.params.payment_id)
        const html = await checkoutPage(p, { now: deps.clock.now(), fakeWallet: deps.demoWallet !== undefined })
        return reply
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .header(
            'content-security-policy',
            "default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
          )
          .header('referrer-policy', 'no-referrer')
          .send(html)
      },
    )

    if (!deps.demoWallet) return
    app.post(
      '/checkout/:payment_id',
      {
        config: { auth: 'none' },
        schema: {
          operationId: 'payWithFakeWallet',
          tags: ['payments'],
          summary:
            "Zero-setup mode only (fake OxaPay): pay the invoice's address from the fake wallet; `amount` in the coin, default what is still due",
          params: CheckoutParams,
          response: withErrors(
            { 200: FakeWalletResponse, 303: Type.Null({ description: 'A form post: back to the page' }) },
            ['not_found', 'invalid_state'],
          ),
        },
      },
      async (req, reply) => {
        const p = await find(req.params.payment_id)
        const raw = (req.body as Record<string, unknown> | undefined)?.amount
        const amount =
          raw === undefined || raw === ''
            ? undefined
            : typeof raw === 'string' || typeof raw === 'number'
              ? String(raw).trim()
              : '?'
        if (amount !== undefined && !COIN_AMOUNT.test(amount)) {
          throw validation('amount must be a coin amount with at most 8 decimals', 'amount')
        }
        const paid = await payWithDemoWallet(deps, p, amount)
        if (String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
          return reply
            .code(303)
            .header('location', `/checkout/${encodeURIComponent(p.id)}`)
            .send()
        }
        return {
          success: true,
          message: `the fake wallet sent ${paid.sent} ${p.pay_currency ?? ''} to ${paid.address}`,
          data: paid,
        }
      },
    )
  }
