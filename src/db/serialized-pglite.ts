import { PGliteDialect, type DatabaseConnection, type Driver } from 'kysely'
import type { PGlite } from '@electric-sql/pglite'

/**
 * Kysely's PGlite driver hands its one connection to every caller at once, so a query issued
 * while another request's transaction is open would run *inside* that transaction. This dialect
 * queues callers instead: one query or one whole transaction at a time, like a pool of size one.
 */
export class SerializedPGliteDialect extends PGliteDialect {
  constructor(pglite: PGlite) {
    super({ pglite })
  }

  override createDriver(): Driver {
    const inner = super.createDriver()
    let tail: Promise<void> = Promise.resolve()
    const releases = new WeakMap<DatabaseConnection, () => void>()
    return new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop === 'acquireConnection') {
          return async () => {
            let release!: () => void
            const previous = tail
            tail = new Promise<void>(resolve => {
              release = resolve
            })
            await previous
            const conn = await target.acquireConnection()
            releases.set(conn, release)
            return conn
          }
        }
        if (prop === 'releaseConnection') {
          return async (conn: DatabaseConnection) => {
            await target.releaseConnection(conn)
            const release = releases.get(conn)
            releases.delete(conn)
            release?.()
          }
        }
        const value = Reflect.get(target, prop, receiver)
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
  }
}
