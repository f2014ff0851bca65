// Rewrites README.md's configuration tables from src/config/schema.ts (`npm run docs:config`);
// test/app/config-schema.test.ts fails when they drift apart.
import { readFileSync, writeFileSync } from 'node:fs'
import { withConfigTable } from '../src/config/docs.ts'

const path = new URL('../README.md', import.meta.url)
const before = readFileSync(path, 'utf8')
const after = withConfigTable(before)
if (after !== before) writeFileSync(path, after)
process.stdout.write(
  after === before ? 'README.md: configuration already up to date\n' : 'README.md: configuration rewritten\n',
)
