import { inspect } from 'node:util'
import { Migrator, type Migration, type MigrationProvider } from 'kysely'
import type { Db } from './connect.ts'
import * as m0001 from './migrations/0001_initial.ts'
import * as m0002 from './migrations/0002_payments.ts'
import * as m0003 from './migrations/0003_delivery.ts'
import * as m0004 from './migrations/0004_abuse_limits.ts'
import * as m0005 from './migrations/0005_white_label.ts'
import * as m0006 from './migrations/0006_state_checks.ts'
import * as m0007 from './migrations/0007_events.ts'
import * as m0008 from './migrations/0008_notifications.ts'
import * as m0009 from './migrations/0009_accounts.ts'
import * as m0010 from './migrations/0010_server_actions.ts'
import * as m0011 from './migrations/0011_server_rebuild.ts'
import * as m0012 from './migrations/0012_termination.ts'
import * as m0013 from './migrations/0013_plesk_actions.ts'

/** Migrations are listed here, not discovered on disk, so they run the same from any working directory. */
const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_payments': m0002,
  '0003_delivery': m0003,
  '0004_abuse_limits': m0004,
  '0005_white_label': m0005,
  '0006_state_checks': m0006,
  '0007_events': m0007,
  '0008_notifications': m0008,
  '0009_accounts': m0009,
  '0010_server_actions': m0010,
  '0011_server_rebuild': m0011,
  '0012_termination': m0012,
  '0013_plesk_actions': m0013,
}

const provider: MigrationProvider = { getMigrations: async () => migrations }

/** Brings the schema up to date; throws with the failing migration's error. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'oxbill_migrations',
    migrationLockTableName: 'oxbill_migrations_lock',
  })
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw error instanceof Error ? error : new Error(inspect(error))
  return (results ?? []).filter(r => r.status === 'Success').map(r => r.migrationName)
}
