// Request and response types picked out of the generated `paths` (DOM-free, so unit tests and
// schemas import them). Never redeclare an API type by hand: name it through these.
import type { paths } from './schema.d.ts'

export type ApiPaths = paths
type Method = 'get' | 'post' | 'patch' | 'put' | 'delete'

/** The JSON body a route answers with `status` (200 unless said). */
export type ResponseOf<P extends keyof ApiPaths, M extends Method, S extends number = 200> = ApiPaths[P] extends {
  [K in M]: { responses: { [C in S]: { content: { 'application/json': infer R } } } }
}
  ? R
  : never

/** The JSON request body of a route. */
export type BodyOf<P extends keyof ApiPaths, M extends Method> = ApiPaths[P] extends {
  [K in M]: { requestBody?: { content: { 'application/json': infer B } } }
}
  ? B
  : never

/** The query parameters of a route. */
export type QueryOf<P extends keyof ApiPaths, M extends Method> = ApiPaths[P] extends {
  [K in M]: { parameters: { query?: infer Q } }
}
  ? NonNullable<Q>
  : never
