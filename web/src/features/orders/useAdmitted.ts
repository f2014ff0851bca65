import { useRef } from 'react'

/**
 * True once `allowed` has been true. An order page checks the service's state before the
 * customer starts; the order itself then changes that state (the server is resizing, an order is
 * open), and the page must go on showing the answer instead of the refusal. A state that moved
 * on before the confirm is the API's to refuse, and the confirm step re-quotes (rule 7).
 */
export function useAdmitted(allowed: boolean): boolean {
  const admitted = useRef(false)
  if (allowed) admitted.current = true
  return admitted.current
}
