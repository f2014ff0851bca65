import type { ReactNode } from 'react'
import { isApiError } from '../api/errors.ts'
import { ErrorAlert } from './Alert.tsx'
import { Page } from './Page.tsx'
import { Skeleton } from './Spinner.tsx'

export interface DetailFallbackProps {
  /** The detail query while it is not (or no longer) a success: pending, or failed. */
  query: { isPending: boolean; error: unknown }
  title: string
  back: ReactNode
  lines: number
}

/**
 * What a detail page shows until its object is there (`if (!q.isSuccess) return <DetailFallback …/>`):
 * the API's 404 is thrown to the route's error element, so a missing object and another customer's
 * look the same (the 404 page); pending is a skeleton, any other failure the API's message.
 */
export function DetailFallback({ query, title, back, lines }: DetailFallbackProps) {
  if (!query.isPending && isApiError(query.error) && query.error.status === 404) throw query.error
  return (
    <Page title={title} back={back}>
      {query.isPending ? <Skeleton lines={lines} /> : <ErrorAlert error={query.error} />}
    </Page>
  )
}
