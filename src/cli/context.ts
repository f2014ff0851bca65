import { parseArgs, type ParseArgsConfig } from 'node:util'
import { loadConfig, type Config } from '../config.ts'
import { connectDb, type DbHandle } from '../db/connect.ts'
import { migrateToLatest } from '../db/migrate.ts'
import { AppError } from '../lib/errors.ts'

/** Parses a command's own flags strictly: an unknown flag is an error, not silently ignored. */
export function flags<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  const common = { 'database-url': { type: 'string' }, 'data-dir': { type: 'string' } } as const
  return parseArgs({ args: argv, options: { ...common, ...options }, strict: true, allowPositionals: true })
}

/** Opens the configured database (migrated) for a one-shot command. */
export async function withDb<T>(argv: string[], fn: (h: DbHandle, config: Readonly<Config>) => Promise<T>): Promise<T> {
  const config = loadConfig(argv)
  const h = await connectDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  try {
    await migrateToLatest(h.db)
    return await fn(h, config)
  } finally {
    await h.close()
  }
}

export function required(value: string | boolean | undefined, flag: string): string {
  if (typeof value !== 'string' || value === '') throw new AppError('validation_error', `--${flag} is required`)
  return value
}

export const printJson = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
}
