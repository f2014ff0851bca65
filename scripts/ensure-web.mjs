#!/usr/bin/env node
// Builds the web portal (web/ → web/dist) when it is missing or older than its sources.
// `npm start` runs it before serving; `postinstall` runs it so `npm install` / `npm ci` leave a
// built portal behind, offline. `--force` builds regardless. Without Vite (a production install
// with --omit=dev) it says so and leaves the API to run without the portal.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const web = join(root, 'web')
const built = join(web, 'dist', 'index.html')

function newest(path) {
  if (!existsSync(path)) return 0
  const s = statSync(path)
  if (!s.isDirectory()) return s.mtimeMs
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), s.mtimeMs)
}

const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'tsconfig.json'].map(p => join(web, p))
const force = process.argv.includes('--force')
const stale = force || !existsSync(built) || statSync(built).mtimeMs < Math.max(...sources.map(newest))
if (!stale) process.exit(0)

let vite
try {
  // vite/bin is not in its package exports; its package.json is, and the bin sits beside it.
  vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js')
} catch {
  console.warn('web portal: Vite is not installed (production install?); / will say how to build it')
  process.exit(0)
}
console.error(`web portal: ${existsSync(built) ? 'sources changed, rebuilding' : 'building'} web/dist`)
const res = spawnSync(process.execPath, [vite, 'build', '-c', join(web, 'vite.config.ts'), '--logLevel', 'warn'], {
  stdio: 'inherit',
  cwd: root,
})
process.exit(res.status ?? 1)
