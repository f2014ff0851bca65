import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Db } from '../db/connect.ts'
import { hashPassword, verifyPassword } from '../domain/accounts/passwords.ts'
import { generatePassword } from '../lib/secret-box.ts'
import { DEMO_USER_ID } from './seed-demo.ts'

/**
 * The demo customer's portal password (zero-setup mode). Random per data directory: generated
 * the first time the demo user has no password, stored hashed in the database and in clear in
 * `DATA_DIR/demo-password` (mode 0600, beside `secrets.key`), so every restart prints the same one.
 * A password the demo user has since changed (portal, reset) is theirs: the file no longer
 * matches and nothing is printed or overwritten. With an in-memory data directory the database is
 * new on every start, so is the password.
 */
export async function ensureDemoPassword(db: Db, dataDir: string): Promise<{ email: string; password: string } | null> {
  const user = await db
    .selectFrom('users')
    .select(['email', 'password_hash'])
    .where('id', '=', DEMO_USER_ID)
    .executeTakeFirst()
  if (!user) return null
  const file = dataDir.startsWith('memory://') ? undefined : join(dataDir, 'demo-password')
  const kept = file !== undefined && existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined
  if (user.password_hash !== null) {
    return kept !== undefined && (await verifyPassword(kept, user.password_hash))
      ? { email: user.email, password: kept }
      : null
  }
  const password = kept ?? generatePassword(20)
  if (file !== undefined && kept === undefined) {
    mkdirSync(dataDir, { recursive: true })
    writeFileSync(file, `${password}\n`, { mode: 0o600 })
  }
  const hash = await hashPassword(password)
  const res = await db
    .updateTable('users')
    .set({ password_hash: hash })
    .where('id', '=', DEMO_USER_ID)
    .where('password_hash', 'is', null)
    .executeTakeFirst()
  // Another process (a second `serve` on the same PGlite is refused, but PostgreSQL with SEED_DEMO) set one first.
  return Number(res.numUpdatedRows) === 1 ? { email: user.email, password } : null
}
