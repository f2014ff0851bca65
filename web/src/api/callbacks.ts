// What a caller may pass to a mutation hook of a resource file (STYLE-web rule 3). The hook takes
// these out, awaits its own invalidation first and then calls them, so a caller's onSuccess can
// never replace the invalidation (Medusa's bug).
import type { ApiError } from './errors.ts'

export interface Callbacks<D, V> {
  onSuccess?: (data: D, variables: V) => void | Promise<void>
  onError?: (error: ApiError, variables: V) => void | Promise<void>
}
