import {
  AbortedTransactionError,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely'
import type { PGlite } from '@electric-sql/pglite'

/**
 * oxbill's own PGlite dialect: kysely only ships one from 0.29, which requires Node 22, and we run
 * Node 20 (kysely 0.28).
 *
 * PGlite is one session, so its connection must not be shared: a query issued while another
 * request's transaction is open would run *inside* that transaction. The driver queues callers
 * instead, first come first served: one query or one whole transaction at a time, like a pool of
 * size one.
 *
 * Transactions are plain BEGIN/COMMIT on that session, so this dialect must be the PGlite's only
 * user (connect.ts never hands the instance to anything else).
 */
export class SerializedPGliteDialect implements Dialect {
  readonly #pglite: PGlite

  constructor(pglite: PGlite) {
    this.#pglite = pglite
  }

  createAdapter(): DialectAdapter {
    return new PostgresAdapter()
  }

  createDriver(): Driver {
    return new SerializedPGliteDriver(this.#pglite)
  }

  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db)
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler()
  }
}

class SerializedPGliteDriver implements Driver {
  readonly #pglite: PGlite
  readonly #connection: PGliteConnection
  /** Settles when the last caller in the queue releases; the next caller waits on it. */
  #tail: Promise<void> = Promise.resolve()
  #release: (() => void) | undefined
  #destroyed = false

  constructor(pglite: PGlite) {
    this.#pglite = pglite
    this.#connection = new PGliteConnection(pglite)
  }

  async init(): Promise<void> {
    if (this.#pglite.closed) throw new Error('the PGlite instance is already closed')
    // `PGlite.create` resolves when ready, `new PGlite()` does not.
    await this.#pglite.waitReady
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.#destroyed) throw new Error('the PGlite driver has been destroyed')
    const previous = this.#tail
    let release!: () => void
    this.#tail = new Promise<void>(resolve => {
      release = resolve
    })
    await previous
    this.#release = release
    return this.#connection
  }

  releaseConnection(): Promise<void> {
    const release = this.#release
    this.#release = undefined
    release?.()
    return Promise.resolve()
  }

  async beginTransaction(_conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    let sql = 'begin'
    if (settings.isolationLevel) sql += ` isolation level ${settings.isolationLevel}`
    if (settings.accessMode) sql += ` ${settings.accessMode}`
    await this.#pglite.exec(sql)
  }

  async commitTransaction(): Promise<void> {
    const results = await this.#pglite.exec('commit')
    // PostgreSQL answers COMMIT with ROLLBACK when an earlier error (caught by the caller) aborted
    // the transaction; reporting success would hide that nothing was written. kysely's own
    // PostgreSQL driver throws the same error, so both databases behave alike.
    if (results[0]?.command === 'ROLLBACK') throw new AbortedTransactionError()
  }

  async rollbackTransaction(): Promise<void> {
    await this.#pglite.exec('rollback')
  }

  async savepoint(_conn: DatabaseConnection, name: string): Promise<void> {
    await this.#pglite.exec(`savepoint ${quoteIdent(name)}`)
  }

  async rollbackToSavepoint(_conn: DatabaseConnection, name: string): Promise<void> {
    await this.#pglite.exec(`rollback to savepoint ${quoteIdent(name)}`)
  }

  async releaseSavepoint(_conn: DatabaseConnection, name: string): Promise<void> {
    await this.#pglite.exec(`release savepoint ${quoteIdent(name)}`)
  }

  /** Queued work finishes first: a job mid-transaction at shutdown commits instead of meeting a closed database. */
  async destroy(): Promise<void> {
    this.#destroyed = true
    await this.#tail
    if (!this.#pglite.closed) await this.#pglite.close()
  }
}

class PGliteConnection implements DatabaseConnection {
  readonly #pglite: PGlite

  constructor(pglite: PGlite) {
    this.#pglite = pglite
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.#pglite.query<R>(query.sql, [...query.parameters], { rowMode: 'object' })
    // Same shape as kysely's PostgreSQL driver, so code reading numAffectedRows (numUpdatedRows,
    // numDeletedRows…) sees the same on both databases.
    const counts = result.command !== undefined && COUNTED.has(result.command)
    return {
      rows: result.rows,
      ...(counts ? { numAffectedRows: BigInt(result.affectedRows ?? 0) } : {}),
    }
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite cannot stream query results; use execute() instead of stream()')
  }
}

const COUNTED = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE'])

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}
