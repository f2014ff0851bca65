import { Kysely, PostgresDialect } from 'kysely'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import type { Database } from './schema.ts'
import { SerializedPGliteDialect } from './serialized-pglite.ts'
import { lockDataDir } from './pglite-lock.ts'

export type Db = Kysely<Database>

export interface DbHandle {
  db: Db
  kind: 'pglite' | 'postgres'
  close(): Promise<void>
}

const INT8 = 20
const NUMERIC = 1700

/** The two drivers parse differently by default; both must give bigint for BIGINT and string for NUMERIC. */
const parseInt8 = (v: string): bigint => BigInt(v)
const keepText = (v: string): string => v

/** Opens PostgreSQL when a URL is given, else PGlite in `dataDir` ("memory://" for tests). */
export async function connectDb(opts: {
  databaseUrl?: string
  dataDir: string
  poolSize?: number
  onIdleError?: (err: Error) => void
}): Promise<DbHandle> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
          if (oid === INT8) return parseInt8
          if (oid === NUMERIC) return keepText
          return pg.types.getTypeParser(oid, format)
        }) as typeof pg.types.getTypeParser,
      },
    })
    // An idle client whose server connection drops (restart, failover, pg_terminate_backend) is
    // removed by the pool; without a listener its 'error' event would crash the process.
    pool.on('error', err => {
      opts.onIdleError?.(err)
    })
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    return { db, kind: 'postgres', close: () => db.destroy() }
  }
  const memory = opts.dataDir.startsWith('memory://')
  const unlock = memory ? () => {} : lockDataDir(opts.dataDir)
  try {
    const pglite = await PGlite.create(memory ? opts.dataDir : `${opts.dataDir}/pgdata`, {
      parsers: { [INT8]: parseInt8, [NUMERIC]: keepText },
    })
    const db = new Kysely<Database>({ dialect: new SerializedPGliteDialect(pglite) })
    return {
      db,
      kind: 'pglite',
      close: async () => {
        await db.destroy()
        // destroy() closes PGlite only if a query ever ran (kysely skips a driver never started);
        // the directory must not be unlocked while it is still open.
        if (!pglite.closed) await pglite.close()
        unlock()
      },
    }
  } catch (err) {
    unlock()
    throw err
  }
}
