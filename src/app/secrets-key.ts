import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The key that seals job secrets. Production passes SECRETS_KEY; zero-setup mode keeps a
 * generated key in the data directory (mode 0600) so that queued jobs survive a restart.
 */
export function resolveSecretsKey(configured: string | undefined, dataDir: string): string {
  if (configured !== undefined) return configured
  if (dataDir.startsWith('memory://')) return randomBytes(32).toString('base64')
  mkdirSync(dataDir, { recursive: true })
  const path = join(dataDir, 'secrets.key')
  if (existsSync(path)) return readFileSync(path, 'utf8').trim()
  const key = randomBytes(32).toString('base64')
  writeFileSync(path, key, { mode: 0o600 })
  return key
}
