import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Static } from 'typebox'
import type { Deps } from '../../../deps.ts'
import { AppError, validation } from '../../../lib/errors.ts'
import { parseAmount } from '../../../lib/money.ts'
import { invoiceServerRenewal } from '../../../domain/payments/invoice-server-renewal.ts'
import { coinChoice, reissueInvoice } from '../../../domain/payments/reissue-invoice.ts'
import { invoiceResponse } from '../../../domain/payments/render.ts'
import { topUpBalance } from '../../../domain/payments/top-up-balance.ts'
import { principalOf } from '../../auth.ts'
import { orderMeta } from '../../order-meta.ts'
import { IDEMPOTENT, withErrors } from '../../schemas/common.ts'
import { InvoiceBody, InvoiceResponse } from './payments.schema.ts'

type Body = Static<typeof InvoiceBody>

/**
 * Which documented variant a body is; a body mixing them is a 400 that names the conflict. A
 * top-up may name its coin (`pay_currency`, optionally `network`); the .net variant has no coin in
 * the docs and pays in the operator's default (a client that wants another coin asks the .com
 * variant with the order's id).
 */
export function classifyInvoice(b: Body): 'server' | 'order' | 'top_up' {
  const present = (['server_id', 'order_id', 'amount'] as const).filter(f => b[f] !== undefined)
  if (present.length > 1) {
    throw new AppError(
      'ambiguous_request',
      `ambiguous invoice: send one of server_id, order_id or amount, not ${present.join(' and ')}`,
    )
  }
  if (b.order_id !== undefined) {
    const missing = (['currency', 'pay_currency', 'network'] as const).filter(f => b[f] === undefined)
    if (missing.length > 0) {
      throw new AppError('validation_error', `an invoice for an order needs ${missing.join(', ')}`, {
        details: { field: missing[0] },
      })
    }
    return 'order'
  }
  if (b.amount !== undefined) {
    if (b.currency !== undefined) {
      throw new AppError(
        'ambiguous_request',
        'ambiguous invoice: currency belongs to an invoice for order_id (a top-up is in EUR)',
      )
    }
    if (b.network !== undefined && b.pay_currency === undefined) {
      throw new AppError('validation_error', 'network needs the pay_currency it is for', {
        details: { field: 'pay_currency' },
      })
    }
    return 'top_up'
  }
  const extra = (['currency', 'pay_currency', 'network'] as const).filter(f => b[f] !== undefined)
  if (extra.length > 0) {
    throw new AppError(
      'ambiguous_request',
      `ambiguous invoice: ${extra.join(', ')} belong to an invoice for order_id (or a top-up)`,
    )
  }
  if (b.server_id !== undefined) return 'server'
  throw new AppError(
    'validation_error',
    'send server_id (renew a server), order_id (pay an order) or amount (top up the balance)',
    { details: { field: 'order_id' } },
  )
}

export const invoiceRoute =
  (deps: Deps): FastifyPluginAsyncTypebox =>
  async app => {
    app.post(
      '/API/invoice',
      {
        schema: {
          operationId: 'createInvoice',
          tags: ['payments'],
          summary:
            'Create a crypto invoice (white-label: deposit address, coin amount, QR code): renew a server (.net), pay a pending order (.com), or top up the balance',
          body: InvoiceBody,
          response: withErrors({ 200: InvoiceResponse }, [
            'ambiguous_request',
            'not_found',
            'invalid_state',
            'conflict',
            'too_many_open_invoices',
            ...IDEMPOTENT,
            'provider_unavailable',
          ]),
        },
      },
      async req => {
        const b = req.body
        const kind = classifyInvoice(b)
        const caller = { principal: principalOf(req), ip: req.ip }
        let payment
        if (kind === 'server') {
          payment = await invoiceServerRenewal(deps, orderMeta(req), { userId: b.user_id, serverId: b.server_id! })
        } else if (kind === 'order') {
          payment = await reissueInvoice(deps, caller, {
            userId: b.user_id,
            orderId: b.order_id!,
            currency: b.currency!,
            payCurrency: b.pay_currency!,
            network: b.network!,
          })
        } else {
          const amount = parseAmount(b.amount!)
          if (amount === null) throw validation('amount must be a decimal EUR amount with at most 2 decimals', 'amount')
          const choice = b.pay_currency === undefined ? undefined : coinChoice(b.pay_currency, b.network)
          payment = await topUpBalance(deps, caller, { userId: b.user_id, amount, ...(choice ? { choice } : {}) })
        }
        return invoiceResponse(payment)
      },
    )
  }
