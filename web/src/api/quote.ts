// Quotes (POST /API/orders/quote): what an order would charge and what it would change, asked
// with exactly the body the order will send. A quote changes nothing on the server, so it is a
// query (keyed by the request), refetched when the inputs change; the UI shows it and does no
// price arithmetic of its own (STYLE-web rule 7).
import { queryOptions } from '@tanstack/react-query'
import { api, unwrap } from './client.ts'
import type { OrderRequest } from './orders.ts'
import type { BodyOf, ResponseOf } from './types.ts'

export type Quote = ResponseOf<'/API/orders/quote', 'post'>['quote']

export const quoteKeys = {
  all: ['quote'] as const,
  quote: (request: OrderRequest) => [...quoteKeys.all, request.endpoint, request.body] as const,
}

/** The quote's body: the endpoint and exactly the body the order will send. */
function quoteBody(request: OrderRequest): BodyOf<'/API/orders/quote', 'post'> {
  switch (request.endpoint) {
    case 'create_order':
      return { endpoint: request.endpoint, order: request.body }
    case 'create_order_addon':
      return { endpoint: request.endpoint, order: request.body }
    case 'create_order_plesk':
      return { endpoint: request.endpoint, order: request.body }
    case 'create_order_scale_plesk':
      return { endpoint: request.endpoint, order: request.body }
  }
}

export const quoteQuery = (request: OrderRequest) =>
  queryOptions({
    queryKey: quoteKeys.quote(request),
    // A quote is only good for the state it was made on: never served from an old cache entry.
    staleTime: 0,
    gcTime: 60_000,
    queryFn: async ({ signal }): Promise<Quote> => {
      const res = await unwrap(api.POST('/API/orders/quote', { body: quoteBody(request), signal }))
      return res.quote
    },
  })
